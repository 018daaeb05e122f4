import { viewerOf } from './viewer';

describe('viewerOf', () => {
  it('reads the viewer that login puts on the request', () => {
    expect(viewerOf({ user: { personId: 7, nickname: 'ada', isAdmin: true } })).toEqual({
      personId: 7,
      nickname: 'ada',
      isAdmin: true,
    });
  });

  it('is an ordinary person unless isAdmin is exactly true', () => {
    expect(viewerOf({ user: { personId: 7, nickname: 'ada', isAdmin: 'yes' } })?.isAdmin).toBe(
      false,
    );
  });

  it.each([[undefined], [null], [{}], [{ personId: '7', nickname: 'ada' }], [{ personId: 7 }]])(
    'is nobody for %p',
    (user) => {
      expect(viewerOf({ user })).toBeNull();
    },
  );
});
