import { normalizeTags } from './tags';

describe('normalizeTags', () => {
  it('splits Tahrir comma strings and drops the trailing empty tag', () => {
    expect(normalizeTags('content,Bodhi,qa,')).toEqual(['content', 'bodhi', 'qa']);
  });
  it('trims, lower-cases and removes duplicates in order', () => {
    expect(normalizeTags([' QA', 'qa', 'Koji ', ''])).toEqual(['qa', 'koji']);
  });
  it('gives an empty list for nothing', () => {
    expect(normalizeTags(null)).toEqual([]);
    expect(normalizeTags(undefined)).toEqual([]);
    expect(normalizeTags('')).toEqual([]);
  });
});
