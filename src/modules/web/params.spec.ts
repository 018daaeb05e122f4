import { pageParam, textParam } from './params';

describe('page parameters', () => {
  it.each([
    ['3', 3],
    [undefined, 1],
    ['0', 1],
    ['-2', 1],
    ['2.5', 1],
    ['abc', 1],
    ['99999999', 1],
  ])('page %p is %p', (raw, page) => {
    expect(pageParam(raw)).toBe(page);
  });

  it('trims text, keeps the first of repeated values and caps the length', () => {
    expect(textParam('  bodhi ')).toBe('bodhi');
    expect(textParam(['a', 'b'])).toBe('a');
    expect(textParam(undefined)).toBe('');
    expect(textParam('x'.repeat(500), 10)).toHaveLength(10);
  });
});
