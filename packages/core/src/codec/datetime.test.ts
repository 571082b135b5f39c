import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateArb } from './arbitraries.fixture.js';
import { formatWireDate, parseWireDate } from './datetime.js';

const iso = (text: string) => parseWireDate(text)?.toISOString();

describe('parseWireDate reads what Python isoformat() prints', () => {
  it.each([
    ['2020-01-02T03:04:05.123456', '2020-01-02T03:04:05.123Z'],
    ['2020-01-02T03:04:05.123456+00:00', '2020-01-02T03:04:05.123Z'],
    ['2020-01-02T03:04:05', '2020-01-02T03:04:05.000Z'],
    ['2020-01-02T03:04:05+05:30', '2020-01-01T21:34:05.000Z'],
    ['2020-01-02T03:04:05.5-01:00', '2020-01-02T04:04:05.500Z'],
    ['2020-01-02T03:04:05+0100', '2020-01-02T02:04:05.000Z'],
    ['2020-01-02T03:04:05+00:00:30.500000', '2020-01-02T03:03:34.500Z'],
    ['2020-01-02T03:04:05.999999999Z', '2020-01-02T03:04:05.999Z'],
    ['2020-01-02 03:04', '2020-01-02T03:04:00.000Z'],
    ['2020-01-02', '2020-01-02T00:00:00.000Z'],
    ['0001-01-01T00:00:00', '0001-01-01T00:00:00.000Z'],
    ['2024-02-29T12:00:00', '2024-02-29T12:00:00.000Z'],
  ])('%s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it('reads a time without offset as UTC whatever the machine time zone', () => {
    const zoneless = parseWireDate('2021-06-15T12:00:00');
    expect(zoneless?.getTime()).toBe(Date.UTC(2021, 5, 15, 12));
  });

  it.each([
    '',
    '2020-1-2',
    '2020-13-01T00:00:00',
    '2021-02-29T00:00:00',
    '2020-01-02T24:00:00',
    '2020-01-02T03:60:00',
    '2020-01-02T03:04:61',
    '2020-01-02T03:04:05+24:00',
    '2020-01-02T03:04:05 +00:00',
    'yesterday',
    '2020-01-02T03:04:05.123456+00:00x',
    '0000-01-01T00:00:00',
  ])('refuses %j', (text) => {
    expect(parseWireDate(text)).toBeUndefined();
  });
});

describe('formatWireDate', () => {
  it('prints what Python isoformat() prints for the same aware UTC datetime', () => {
    expect(formatWireDate(new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 123)))).toBe('2020-01-02T03:04:05.123000+00:00');
    expect(formatWireDate(new Date(Date.UTC(2020, 0, 2, 3, 4, 5)))).toBe('2020-01-02T03:04:05+00:00');
    expect(formatWireDate(new Date('0009-03-04T05:06:07.008Z'))).toBe('0009-03-04T05:06:07.008000+00:00');
  });

  it('refuses invalid dates and years Python cannot hold', () => {
    expect(formatWireDate(new Date(Number.NaN))).toBeUndefined();
    expect(formatWireDate(new Date('+010000-01-01T00:00:00Z'))).toBeUndefined();
    expect(formatWireDate(new Date('-000001-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('round trips every date of years 1-9999 to the millisecond', () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        expect(parseWireDate(formatWireDate(date)!)?.getTime()).toBe(date.getTime());
      }),
      { numRuns: 1000 },
    );
  });
});
