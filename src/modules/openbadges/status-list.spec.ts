import { gunzipSync } from 'node:zlib';
import { decodeStatusList, encodeStatusList, STATUS_LIST_LENGTH, statusBit } from './status-list';

describe('Bitstring Status List encoding', () => {
  it('is multibase base64url of a GZIP of at least 16 KB, bit 0 the leftmost bit', () => {
    const encoded = encodeStatusList([0, 9, STATUS_LIST_LENGTH - 1]);
    expect(encoded[0]).toBe('u');
    expect(encoded).not.toMatch(/[+/=]/);
    const raw = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(raw.length).toBe(16 * 1024);
    expect(raw[0]).toBe(0b1000_0000);
    expect(raw[1]).toBe(0b0100_0000);
    expect(raw[raw.length - 1]).toBe(0b0000_0001);
    expect(raw.subarray(2, raw.length - 1).every((b) => b === 0)).toBe(true);
  });

  it('round-trips the set bits and nothing else', () => {
    const set = [3, 17, 4096, 100_000];
    const bits = decodeStatusList(encodeStatusList(set));
    const found: number[] = [];
    for (let i = 0; i < STATUS_LIST_LENGTH; i++) if (statusBit(bits, i)) found.push(i);
    expect(found).toEqual(set);
  });

  it('refuses indexes outside the list and lists that are not multibase base64url', () => {
    expect(() => encodeStatusList([STATUS_LIST_LENGTH])).toThrow(RangeError);
    expect(() => encodeStatusList([-1])).toThrow(RangeError);
    expect(() => decodeStatusList('zabc')).toThrow(/multibase/);
    expect(() => statusBit(decodeStatusList(encodeStatusList([])), STATUS_LIST_LENGTH)).toThrow(
      RangeError,
    );
  });
});
