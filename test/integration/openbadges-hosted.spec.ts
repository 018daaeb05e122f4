import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import extractChunks from 'png-chunks-extract';
import { BadgesService } from '../../src/modules/badges/badges.service';
import { HostedBadgesService } from '../../src/modules/openbadges/hosted.service';
import { tinyPng } from '../support/art';
import { makeIssuer, makePerson } from '../support/factories';
import { auth, createTestApp, type TestApp } from '../support/test-app';

/** The sample Collection's PNG art (test data beside the repository, never copied into it). */
const COLLECTION_PNGS = join(__dirname, '..', '..', '..', 'shared', 'collection', 'pngs');
const BASE = 'https://badges.example.org';
const OB2 = 'https://w3id.org/openbadges/v2';
const DATE_TIME_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const LD = 'application/ld+json';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const path = (url: string) => url.replace(BASE, '');

/** The iTXt chunks with the openbadges keyword, parsed per the PNG spec by hand. */
function openbadgesChunks(png: Buffer) {
  return extractChunks(png)
    .map((c, position) => ({ ...c, position, bytes: Buffer.from(c.data) }))
    .filter((c) => c.name === 'iTXt' && c.bytes.toString('latin1', 0, 11) === 'openbadges\0')
    .map((c) => ({
      position: c.position,
      compressionFlag: c.bytes[11],
      text: c.bytes.toString('utf8', c.bytes.indexOf(0, c.bytes.indexOf(0, 13) + 1) + 1),
    }));
}

describe('Open Badges 2.0 hosted verification', () => {
  let t: TestApp;
  let artDir: string;
  let issuerId: number;
  const email = 'ralph@fedoraproject.org';

  const award = async (badgeId: string, nickname: string, issuedFor?: string) => {
    const res = await t
      .http()
      .post('/api/v1/assertions')
      .set(auth)
      .send({ badge_id: badgeId, nickname, ...(issuedFor ? { issued_for: issuedFor } : {}) })
      .expect(201);
    return res.body.id as string;
  };
  const get = (url: string, accept = LD) => t.http().get(path(url)).set('Accept', accept);
  const binary = (url: string) =>
    t
      .http()
      .get(path(url))
      .buffer(true)
      .parse((res, cb) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('end', () => cb(null, Buffer.concat(parts)));
      });

  beforeAll(async () => {
    artDir = mkdtempSync(join(tmpdir(), 'accolades-art-'));
    copyFileSync(join(COLLECTION_PNGS, 'apex.png'), join(artDir, 'apex.png'));
    writeFileSync(join(artDir, 'broken.png'), tinyPng().subarray(0, 40));
    writeFileSync(join(artDir, 'notes.png'), 'just some text, not an image');
    writeFileSync(join(artDir, 'changing.png'), tinyPng());
    t = await createTestApp({
      env: {
        ACCOLADES_BASE_URL: BASE,
        ACCOLADES_ART_DIRS: `${artDir}:${COLLECTION_PNGS}`,
        ACCOLADES_BACKPACK_IMPORT_URL: 'https://backpack.example/import?url={url}',
      },
    });
    issuerId = (await makeIssuer(t, 'Fedora Project')).id;
    const badges = t.get(BadgesService);
    const badge = (id: string, image: string) =>
      badges.create({
        id,
        name: id,
        image,
        description: `The ${id} badge`,
        criteria: `https://pagure.io/fedora-badges/issue/${id.length}`,
        issuerId,
        tags: ['qa'],
      });
    await badge('apex', 'apex.png');
    await badge('hello-fedora', 'hello-fedora.svg');
    await badge('missing-art', 'nowhere.png');
    await badge('broken-art', 'broken.png');
    await badge('text-art', 'notes.png');
    await badge('remote-art', 'https://elsewhere.example/art.png');
    await badge('changing', 'changing.png');
    await badge('ladder', '../../package.json');
    await makePerson(t, 'ralph');
  });

  afterAll(async () => {
    await t?.close();
    rmSync(artDir, { recursive: true, force: true });
  });

  describe('documents', () => {
    let assertionUrl: string;

    beforeAll(async () => {
      const id = await award('apex', 'ralph', 'https://bodhi.fedoraproject.org/updates/FEDORA-1');
      assertionUrl = t.get(HostedBadgesService).shareLinks(id).verificationUrl;
    });

    it('publishes an Assertion with every required field, its id its own URL', async () => {
      const res = await get(assertionUrl).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
      const a = res.body;
      expect(a['@context']).toBe(OB2);
      expect(a.id).toBe(assertionUrl);
      expect(a.type).toBe('Assertion');
      expect(a.recipient).toEqual({
        type: 'email',
        hashed: true,
        salt: expect.any(String),
        identity: `sha256$${sha256(email + a.recipient.salt)}`,
      });
      expect(a.recipient.identity).toMatch(/^sha256\$[0-9a-f]{64}$/);
      expect(a.verification).toEqual({ type: 'hosted' });
      expect(a.issuedOn).toMatch(DATE_TIME_Z);
      expect(a.evidence).toBe('https://bodhi.fedoraproject.org/updates/FEDORA-1');
      expect(a.image).toBe(`${assertionUrl}/image`);
      expect(a.badge).toBe(`${BASE}/openbadges/v2/badges/apex`);
    });

    it('publishes the BadgeClass and the issuer Profile it points to, on the same origin', async () => {
      const a = (await get(assertionUrl)).body;
      const badge = (await get(a.badge).expect(200)).body;
      expect(badge).toMatchObject({
        '@context': OB2,
        id: a.badge,
        type: 'BadgeClass',
        name: 'apex',
        description: 'The apex badge',
        image: `${BASE}/pngs/apex.png`,
        criteria: expect.stringMatching(/^https:\/\/pagure\.io\//),
        tags: ['qa'],
      });
      const issuer = (await get(badge.issuer).expect(200)).body;
      expect(issuer).toMatchObject({
        '@context': OB2,
        id: badge.issuer,
        type: 'Issuer',
        name: 'Fedora Project',
        url: 'https://fedoraproject.org',
        email: 'badges@fedoraproject.org',
        revocationList: `${badge.issuer}/revocations`,
      });
      // Hosted verification: the assertion must live within the issuer's origin.
      expect(new URL(a.id).origin).toBe(new URL(issuer.id).origin);
      // The art the BadgeClass names is served.
      await t.http().get(path(badge.image)).expect(200);
    });

    it('negotiates: JSON-LD, plain JSON, or a page, on the same URL', async () => {
      const ld = await get(assertionUrl, 'application/ld+json, application/json;q=0.9');
      expect(ld.headers['content-type']).toMatch(/^application\/ld\+json/);
      expect(ld.headers.vary).toMatch(/Accept/);
      const json = await get(assertionUrl, 'application/json').expect(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(json.text).id).toBe(assertionUrl);
      const any = await get(assertionUrl, '*/*').expect(200);
      expect(any.headers['content-type']).toMatch(/^application\/ld\+json/);
      const page = await get(
        assertionUrl,
        'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      ).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('apex');
      expect(page.text).toContain(`${assertionUrl}/image?download`);
      const badgePage = await get(`${BASE}/openbadges/v2/badges/apex`, 'text/html').expect(200);
      expect(badgePage.text).toContain('The apex badge');
    });

    it('answers 404 with a stable code for what does not exist', async () => {
      const res = await get(`${BASE}/openbadges/v2/assertions/nope`).expect(404);
      expect(res.body.code).toBe('ASSERTION.NOT_FOUND');
      expect((await get(`${BASE}/openbadges/v2/badges/nope`).expect(404)).body.code).toBe(
        'BADGE.NOT_FOUND',
      );
      expect((await get(`${BASE}/openbadges/v2/issuers/999`).expect(404)).body.code).toBe(
        'ISSUER.NOT_FOUND',
      );
    });

    it('gives the links a page needs for its buttons', async () => {
      const id = decodeURIComponent(assertionUrl.split('/').pop() as string);
      const links = t.get(HostedBadgesService).shareLinks(id);
      expect(links).toEqual({
        verificationUrl: assertionUrl,
        bakedImageUrl: `${assertionUrl}/image`,
        downloadUrl: `${assertionUrl}/image?download=1`,
        credentialUrl: `${BASE}/openbadges/v3/credentials/${encodeURIComponent(id)}`,
        backpackImportUrl: `https://backpack.example/import?url=${encodeURIComponent(assertionUrl)}`,
      });
      const download = await binary(links.downloadUrl).expect(200);
      expect(download.headers['content-disposition']).toBe('attachment; filename="apex.png"');
    });
  });

  describe('imported Tahrir assertions', () => {
    const tahrirId = 'tester-i -> 12';
    const salt = 'd6f8b3c1a9';

    beforeAll(async () => {
      const [person] = await t.dataSource.query(`SELECT id FROM persons WHERE nickname = 'ralph'`);
      // As Tahrir stored it: hex sha256 of email + salt, computed here, independently.
      await t.dataSource.query(
        `INSERT INTO assertions (id, badge_id, person_id, salt, recipient, issued_on, issued_for)
         VALUES ($1, 'hello-fedora', $2, $3, $4, '2013-07-01T12:34:56+02:00', NULL)`,
        [tahrirId, person.id, salt, sha256(email + salt)],
      );
    });

    it('keep their salt and hash, so they verify against the same email', async () => {
      const url = `${BASE}/openbadges/v2/assertions/${encodeURIComponent(tahrirId)}`;
      expect(url).toContain('tester-i%20-%3E%2012');
      const a = (await get(url).expect(200)).body;
      expect(a.id).toBe(url);
      expect(a.recipient.salt).toBe(salt);
      expect(a.recipient.identity).toBe(
        `sha256$${createHash('sha256').update(`${email}${salt}`).digest('hex')}`,
      );
      expect(a.issuedOn).toBe('2013-07-01T10:34:56Z');
      expect(a.evidence).toBeUndefined();
    });

    it("keep Tahrir's old URL working (badge and recipient hash)", async () => {
      const res = await t
        .http()
        .get(`/assertions/hello-fedora/${sha256(email + salt)}`)
        .expect(301);
      expect(res.headers.location).toBe(
        `${BASE}/openbadges/v2/assertions/${encodeURIComponent(tahrirId)}`,
      );
    });
  });

  describe('baked images', () => {
    it('bakes the assertion into PNG art: one uncompressed iTXt right after IHDR', async () => {
      const id = await award('apex', await makePerson(t).then((p) => p.nickname as string));
      const url = t.get(HostedBadgesService).shareLinks(id).bakedImageUrl;
      const res = await binary(url).expect(200);
      expect(res.headers['content-type']).toBe('image/png');
      const png = res.body as Buffer;
      const chunks = openbadgesChunks(png);
      expect(chunks).toHaveLength(1);
      expect(chunks[0].position).toBe(1);
      expect(extractChunks(png)[0].name).toBe('IHDR');
      expect(chunks[0].compressionFlag).toBe(0);
      const assertion = (await get(url.replace(/\/image$/, ''))).body;
      expect(JSON.parse(chunks[0].text)).toEqual(assertion);
      // Everything else of the art is kept, in order.
      const original = extractChunks(readFileSync(join(artDir, 'apex.png')));
      const rest = extractChunks(png).filter((_c, i) => i !== 1);
      expect(rest.map((c) => c.name)).toEqual(original.map((c) => c.name));
    });

    it('bakes SVG art with an openbadges:assertion element carrying verify and the JSON', async () => {
      const nickname = (await makePerson(t)).nickname as string;
      const id = await award('hello-fedora', nickname);
      const links = t.get(HostedBadgesService).shareLinks(id);
      const res = await binary(links.bakedImageUrl).expect(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      const doc = new DOMParser().parseFromString(
        (res.body as Buffer).toString('utf8'),
        'image/svg+xml',
      );
      const root = doc.documentElement!;
      expect(root.localName).toBe('svg');
      expect(root.getAttribute('xmlns:openbadges')).toBe('http://openbadges.org');
      const elements = root.getElementsByTagNameNS('http://openbadges.org', 'assertion');
      expect(elements.length).toBe(1);
      let first = root.firstChild;
      while (first && first.nodeType !== 1) first = first.nextSibling;
      expect(first).toBe(elements[0]);
      expect(elements[0].getAttribute('verify')).toBe(links.verificationUrl);
      const assertion = (await get(links.verificationUrl)).body;
      expect(JSON.parse(elements[0].textContent as string)).toEqual(assertion);
    });

    it('revalidates with the ETag, and re-bakes when the art changes', async () => {
      const id = await award('changing', (await makePerson(t)).nickname as string);
      const url = t.get(HostedBadgesService).shareLinks(id).bakedImageUrl;
      const first = await binary(url).expect(200);
      const etag = first.headers.etag;
      await t.http().get(path(url)).set('If-None-Match', etag).expect(304);
      const again = await binary(url).expect(200);
      expect(again.headers.etag).toBe(etag);

      const file = join(artDir, 'changing.png');
      writeFileSync(file, tinyPng([{ name: 'tEXt', data: Buffer.from('Title\0new art') }]));
      const later = new Date(Date.now() + 5_000);
      utimesSync(file, later, later);
      const changed = await binary(url).expect(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(extractChunks(changed.body as Buffer).map((c) => c.name)).toEqual([
        'IHDR',
        'iTXt',
        'tEXt',
        'IDAT',
        'IEND',
      ]);
    });

    it.each([
      ['missing-art', 404, 'BAKING.ART_NOT_FOUND'],
      ['broken-art', 409, 'BAKING.INVALID_ART'],
      ['text-art', 409, 'BAKING.INVALID_ART'],
      ['remote-art', 409, 'BAKING.REMOTE_ART'],
      ['ladder', 404, 'BAKING.ART_NOT_FOUND'],
    ])('refuses to bake %s with %i %s, never a 500', async (badgeId, status, code) => {
      const id = await award(badgeId, (await makePerson(t)).nickname as string);
      const url = t.get(HostedBadgesService).shareLinks(id).bakedImageUrl;
      const res = await get(url, 'image/png,*/*').expect(status);
      expect(res.body.code).toBe(code);
    });
  });

  describe('revocation', () => {
    it('answers 410 Gone with the reason and lists the assertion in the RevocationList', async () => {
      const nickname = (await makePerson(t)).nickname as string;
      const id = await award('apex', nickname);
      const links = t.get(HostedBadgesService).shareLinks(id);
      await t
        .http()
        .delete(`/api/v1/badges/apex/holders/${nickname}`)
        .set(auth)
        .send({ reason: 'Awarded by mistake' })
        .expect(200);

      const gone = await get(links.verificationUrl).expect(410);
      expect(gone.body).toMatchObject({
        id: links.verificationUrl,
        revoked: true,
        revocationReason: 'Awarded by mistake',
      });
      const page = await get(links.verificationUrl, 'text/html').expect(410);
      expect(page.text).toContain('Awarded by mistake');
      const image = await get(links.bakedImageUrl, 'image/png').expect(410);
      expect(image.body.code).toBe('ASSERTION.REVOKED');

      const list = (await get(`${BASE}/openbadges/v2/issuers/${issuerId}/revocations`).expect(200))
        .body;
      expect(list).toMatchObject({
        '@context': OB2,
        type: 'RevocationList',
        issuer: `${BASE}/openbadges/v2/issuers/${issuerId}`,
      });
      expect(list.revokedAssertions).toContainEqual({
        id: links.verificationUrl,
        revocationReason: 'Awarded by mistake',
      });
    });
  });
});
