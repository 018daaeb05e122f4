import { startOidcProvider, type TestOidcProvider } from '../support/oidc';
import { csrf, loginAs, type Agent } from '../support/login';
import { createTestApp, type TestApp } from '../support/test-app';

/** A person's own profile: website, bio and opt-out, through the settings form. */
describe('profile settings', () => {
  let provider: TestOidcProvider;
  let t: TestApp;
  let alice: Agent;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({ env: provider.env });
    alice = await loginAs(t, { username: 'alice' });
  });

  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  const row = async () =>
    (
      await t.dataSource.query(`SELECT website, bio, opt_out FROM persons WHERE nickname = 'alice'`)
    )[0] as { website: string | null; bio: string | null; opt_out: boolean };

  it('sends anonymous visitors to login first, then back', async () => {
    const res = await t.http().get('/settings/profile').expect(302);
    expect(res.headers.location).toBe('/login?next=%2Fsettings%2Fprofile');
    const back = await loginAs(t, { username: 'alice' }, { next: '/settings/profile' });
    await back.get('/settings/profile').expect(200);
  });

  it('saves a website and a bio', async () => {
    const token = await csrf(alice, '/settings/profile');
    const res = await alice
      .post('/settings/profile')
      .type('form')
      .send({ _csrf: token, website: ' https://alice.example.org ', bio: 'Packager & <tester>' })
      .expect(303);
    expect(res.headers.location).toBe('/settings/profile?saved=1');
    expect(await row()).toEqual({
      website: 'https://alice.example.org',
      bio: 'Packager & <tester>',
      opt_out: false,
    });
    const page = await alice.get('/settings/profile?saved=1').expect(200);
    expect(page.text).toContain('Your profile was saved.');
    expect(page.text).toContain('Packager &amp; &lt;tester&gt;');
  });

  it.each([
    ['javascript:alert(1)', 'website', 'Give an http:// or https:// address.'],
    ['not a url', 'website', 'Give an http:// or https:// address.'],
  ])('re-renders the form with an error for website %j', async (website, field, message) => {
    const token = await csrf(alice, '/settings/profile');
    const res = await alice
      .post('/settings/profile')
      .type('form')
      .send({ _csrf: token, website, bio: 'kept as typed' })
      .expect(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain(`id="${field}-error"`);
    expect(res.text).toContain('kept as typed');
    expect((await row()).website).toBe('https://alice.example.org');
  });

  it('refuses a bio that is too long', async () => {
    const token = await csrf(alice, '/settings/profile');
    const res = await alice
      .post('/settings/profile')
      .type('form')
      .send({ _csrf: token, website: '', bio: 'x'.repeat(2001) })
      .expect(400);
    expect(res.text).toContain('Keep the bio under 2000 characters.');
    expect((await row()).bio).toBe('Packager & <tester>');
  });

  it('hides and shows the person (opt-out)', async () => {
    await t.http().get('/user/alice').expect(200);
    let token = await csrf(alice, '/settings/profile');
    await alice
      .post('/settings/profile')
      .type('form')
      .send({ _csrf: token, website: '', bio: '', optOut: 'on' })
      .expect(303);
    expect((await row()).opt_out).toBe(true);
    await t.http().get('/user/alice').set('Accept', 'text/html').expect(404);
    const form = await alice.get('/settings/profile').expect(200);
    expect(form.text).toMatch(/name="optOut" type="checkbox" checked/);
    token = await csrf(alice, '/settings/profile');
    await alice.post('/settings/profile').type('form').send({ _csrf: token }).expect(303);
    expect((await row()).opt_out).toBe(false);
    await t.http().get('/user/alice').expect(200);
  });

  it('refuses the form without its CSRF token', async () => {
    const res = await alice
      .post('/settings/profile')
      .type('form')
      .set('Accept', 'text/html')
      .send({ website: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await row()).website).not.toBe('https://evil.example');
  });
});
