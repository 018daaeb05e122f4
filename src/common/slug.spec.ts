import { slugify } from './slug';

describe('slugify', () => {
  it.each([
    ['Tester I', 'tester-i'],
    ['Curious Penguin (Ask Fedora I)', 'curious-penguin-ask-fedora-i'],
    ["Trust Me, I Know What I'm Doing", 'trust-me,-i-know-what-im-doing'],
    ['Is This Thing On? (Fedora Chat I)', 'is-this-thing-on-fedora-chat-i'],
    ['Like a Rock & Roll *', 'like-a-rock--roll-'],
    ['"Quoted"', 'quoted'],
  ])('%s -> %s', (name, id) => {
    expect(slugify(name)).toBe(id);
  });
});
