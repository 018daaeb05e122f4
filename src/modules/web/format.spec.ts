import { formatDate, formatNumber, formatPercent, isoDate, plural, safeHref } from './format';

describe('page formatting', () => {
  it.each([
    ['2026-11-25T23:30:00Z', '25 Nov 2026'],
    ['2024-02-29T00:00:00Z', '29 Feb 2024'],
    ['2026-09-30T12:00:00Z', '30 Sep 2026'],
  ])('formats %s as %s in UTC', (d, text) => {
    expect(formatDate(new Date(d))).toBe(text);
    expect(isoDate(d)).toBe(new Date(d).toISOString());
  });

  it('leaves missing dates empty', () => {
    expect(formatDate(null)).toBe('');
    expect(isoDate(undefined)).toBe('');
  });

  it('groups thousands and pluralizes', () => {
    expect(formatNumber(1000000)).toBe('1,000,000');
    expect(plural(1, 'badge', 'badges')).toBe('1 badge');
    expect(plural(2500, 'badge', 'badges')).toBe('2,500 badges');
    expect(plural(0, 'badge', 'badges')).toBe('0 badges');
  });

  it.each([
    [0, '0'],
    [0.04, '< 0.1'],
    [3.24, '3.2'],
    [42.6, '43'],
    [100, '100'],
  ])('shows %p %% as %s', (p, text) => {
    expect(formatPercent(p)).toBe(text);
  });

  it('keeps only http and https links', () => {
    expect(safeHref('https://bodhi.fedoraproject.org/updates/X')).toBe(
      'https://bodhi.fedoraproject.org/updates/X',
    );
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<b>')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
    expect(safeHref(null)).toBeNull();
  });
});
