import { namesFromCsv, namesFromList, sortNames } from './name-list';

describe('name lists', () => {
  it.each([
    ['alice bob', ['alice', 'bob']],
    ['alice\nbob\r\n\n carol ', ['alice', 'bob', 'carol']],
    ['alice, bob;carol\tdave', ['alice', 'bob', 'carol', 'dave']],
    ['', []],
  ])('reads the pasted list %j', (text, names) => {
    expect(namesFromList(text)).toEqual(names);
  });

  it.each([
    ['the first column without a header', 'alice,Alice A\nbob,Bob B\n', ['alice', 'bob']],
    [
      'the username column',
      'Name,Username,Email\n"A, Alice",alice,a@x\nBob,bob,b@x\n',
      ['alice', 'bob'],
    ],
    ['a nickname column, semicolons', 'email;nickname\na@x;alice\r\nb@x;bob', ['alice', 'bob']],
    ['quoted names and blank lines', '"alice"\n\n"bo""b"\n', ['alice', 'bo"b']],
    ['a byte order mark', '\uFEFFusername\nalice\n', ['alice']],
    ['nothing', '', []],
  ])('reads a CSV file: %s', (_, text, names) => {
    expect(namesFromCsv(text)).toEqual(names);
  });

  it('keeps the first of repeated names and sets aside invalid ones', () => {
    expect(sortNames(['bob', 'alice', 'bob', 'not a name', '../x', 'x.y_z-1'])).toEqual({
      valid: ['bob', 'alice', 'x.y_z-1'],
      invalid: ['not a name', '../x'],
    });
  });
});
