import { auditCsvHeader, auditCsvRow, csvField } from './audit-csv';

describe('audit CSV', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@sum', "'@sum"],
    ['', ''],
  ])('quotes %j as %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('writes one row per entry with its details as JSON', () => {
    const row = auditCsvRow({
      id: 7,
      at: new Date('2026-11-25T10:00:00Z'),
      actor: null,
      action: 'role.change',
      subject: 'alice',
      details: { admin: true },
    });
    expect(auditCsvHeader()).toBe('id,at,actor,action,subject,details\r\n');
    expect(row).toBe('7,2026-11-25T10:00:00.000Z,,role.change,alice,"{""admin"":true}"\r\n');
  });
});
