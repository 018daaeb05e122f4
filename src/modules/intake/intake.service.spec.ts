import { withReceiptTime } from './intake.service';

describe('withReceiptTime', () => {
  const now = new Date('2026-11-25T10:00:00.000Z');

  it('adds the time of receipt as sent-at when the message has no time', () => {
    expect(withReceiptTime({ topic: 't', id: 'a', body: {}, headers: { x: 1 } }, now)).toEqual({
      topic: 't',
      id: 'a',
      body: {},
      headers: { x: 1, 'sent-at': '2026-11-25T10:00:00.000Z' },
    });
    expect(withReceiptTime({ topic: 't', id: 'a', body: {} }, now)).toMatchObject({
      headers: { 'sent-at': '2026-11-25T10:00:00.000Z' },
    });
  });

  it.each([
    [{ topic: 't', msg_id: 'a', msg: {}, timestamp: 1_700_000_000 }],
    [{ topic: 't', id: 'a', body: {}, headers: { 'sent-at': '2020-01-01T00:00:00Z' } }],
    ['not an object'],
    [[1, 2]],
    [null],
  ])('leaves a message that has its own time, or is not an object, as it is: %j', (input) => {
    expect(withReceiptTime(input, now)).toBe(input);
  });
});
