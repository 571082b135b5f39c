/**
 * The SPEC §4 marker maps that carry values MessagePack has no type for, in both directions:
 * Decimal `{"__decimal__": true, "as_str": "1.5"}`, set `{"__set__": true, "value": [...]}`,
 * UUID `{"__uuid__": true, "as_str": "..."}` and (our extension) Date
 * `{"__datetime__": true, "as_str": ISO-8601}`.
 *
 * Decimals travel as decimal.js prints them (`toString()`): exact digits, but trailing zeros of
 * the scale are not kept (`Decimal('1.50')` is sent as `"1.5"`; Python compares them equal).
 */
import { Decimal } from '../types/decimal.js';
import { UUID } from '../types/uuid.js';
import { formatWireDate, parseWireDate } from './datetime.js';
import { WireFault } from './wire-path.js';
import { quoteText } from '../util/quote-text.js';

/** Deepest nesting of maps and arrays (marker maps included) a payload may have. */
export const WIRE_MAX_DEPTH = 64;

/** Marker key of a Decimal. */
export const DECIMAL_MARKER = '__decimal__';
/** Marker key of a set. */
export const SET_MARKER = '__set__';
/** Marker key of a UUID. */
export const UUID_MARKER = '__uuid__';
/** Marker key of a Date (our extension). */
export const DATETIME_MARKER = '__datetime__';

/** Keys a plain object or Map may not use: the markers, and `__proto__` (refused by the decoder). */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([DECIMAL_MARKER, SET_MARKER, UUID_MARKER, DATETIME_MARKER, '__proto__']);

/**
 * Longest `as_str` a marker may carry: checked before any pattern runs, so a peer's text costs
 * time in proportion to this cap. Far above any Decimal, UUID or date a service sends.
 */
export const MARKER_TEXT_MAX = 1000;

/**
 * Python's `str(Decimal)` syntax (also accepts what decimal.js prints); no two quantifiers can share a
 * digit, so it runs in linear time.
 */
const DECIMAL_TEXT = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|NaN|Infinity)$/;

/**
 * Decimals already parsed, by text: decimal.js copies a Decimal much faster than it parses a
 * string (figures in docs/performance.md), and prices repeat. A small direct-mapped table (a slot per
 * hash of the text's length and last characters, overwritten on a miss) keeps a miss nearly free
 * and retains little. A text found there decodes to a new copy of the first one's Decimal (whose
 * digits decimal.js documents as read-only). Only short plain texts of finite, non-zero values
 * are kept (no exponent), so what decimal.js's current `maxE`/`minE` make of a text cannot differ
 * from what it made when parsed.
 */
const SLOTS = 256;
const slotTexts: (string | undefined)[] = new Array(SLOTS).fill(undefined);
const slotValues: (Decimal | undefined)[] = new Array(SLOTS).fill(undefined);
const CACHED_TEXT_MAX = 40;

function slotOf(text: string): number {
  let hash = text.length;
  for (let i = text.length > 4 ? text.length - 4 : 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return hash & (SLOTS - 1);
}

/** The Decimal a marker's `as_str` (or a JSON decimal string) stands for, or undefined when it is not decimal text. */
export function decimalFromText(text: string): Decimal | undefined {
  const slot = slotOf(text);
  if (slotTexts[slot] === text) return new Decimal(slotValues[slot]!);
  if (!DECIMAL_TEXT.test(text)) return undefined;
  const value = new Decimal(text);
  if (text.length <= CACHED_TEXT_MAX && value.isFinite() && !value.isZero() && !text.includes('e') && !text.includes('E')) {
    slotTexts[slot] = text;
    slotValues[slot] = value;
  }
  return value;
}

/** The `as_str` of a Decimal marker. */
export function decimalText(value: Decimal): string {
  return value.toString();
}

/** The `as_str` of a Date marker; faults on invalid dates and years outside 1-9999. */
export function dateText(value: Date): string {
  const text = formatWireDate(value);
  if (text === undefined) {
    throw new WireFault(
      `Date ${Number.isNaN(value.getTime()) ? 'is invalid' : `${value.toISOString()} is outside the years 1-9999`}`,
      'Send a valid Date between 0001-01-01 and 9999-12-31 (Python datetime range)',
    );
  }
  return text;
}

/** Characters of a peer's marker text (or key) quoted in an error. */
const QUOTED_MAX = 40;

/** Quoted text of a peer's, at most {@link QUOTED_MAX} characters of it, with its length when longer. */
const quote = (text: string): string => quoteText(text, QUOTED_MAX);

/** A short picture of a peer's marker map: its keys, and short scalar values (never a whole long string). */
function describe(map: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key in map) {
    if (parts.length === 4) {
      parts.push('...');
      break;
    }
    const v = map[key];
    const shown =
      typeof v === 'string' ? quote(v) : v === null || typeof v === 'boolean' || typeof v === 'number' ? String(v) : `<${typeof v}>`;
    parts.push(`${quote(key)}: ${shown}`);
  }
  return `{${parts.join(', ')}}`;
}

function badMarker(marker: string, expected: string, map: Record<string, unknown>): WireFault {
  return new WireFault(
    `Bad ${marker} marker: expected {"${marker}": true, ${expected}}, received ${describe(map)}`,
    'The sender must use the SPEC §4 marker format; a plain map may not use this key',
  );
}

function asStr(map: Record<string, unknown>, marker: string, keyCount: number, what: string): string {
  const text = map.as_str;
  if (map[marker] !== true || keyCount !== 2 || typeof text !== 'string') throw badMarker(marker, `"as_str": <${what} string>`, map);
  if (text.length > MARKER_TEXT_MAX) {
    throw badMarker(marker, `"as_str": <${what} string>; its text is ${text.length} characters, more than ${MARKER_TEXT_MAX}`, map);
  }
  return text;
}

/** The value a decoded marker map stands for (its values already decoded); faults if malformed. */
export function valueFromMarker(map: Record<string, unknown>, marker: string, keyCount: number): unknown {
  if (marker === SET_MARKER) {
    const items = map.value;
    if (map[marker] !== true || keyCount !== 2 || !Array.isArray(items)) throw badMarker(marker, '"value": [...]', map);
    return new Set(items);
  }
  return scalarFromMarker(map, marker, keyCount);
}

/** Decimal, UUID or Date of a marker map; faults if malformed (also used for marker map keys). */
export function scalarFromMarker(map: Record<string, unknown>, marker: string, keyCount: number): Decimal | UUID | Date {
  if (marker === DECIMAL_MARKER) {
    const text = asStr(map, marker, keyCount, 'decimal');
    const value = decimalFromText(text);
    if (value === undefined) throw badMarker(marker, `"as_str": <decimal string>; ${quote(text)} is not a decimal number`, map);
    return value;
  }
  if (marker === UUID_MARKER) {
    const text = asStr(map, marker, keyCount, 'UUID');
    try {
      return new UUID(text);
    } catch {
      throw badMarker(marker, `"as_str": <UUID string>; ${quote(text)} is not a UUID`, map);
    }
  }
  if (marker === DATETIME_MARKER) {
    const text = asStr(map, marker, keyCount, 'ISO-8601');
    const date = parseWireDate(text);
    if (date === undefined) throw badMarker(marker, `"as_str": <ISO-8601 date-time>; ${quote(text)} is not one`, map);
    return date;
  }
  throw new WireFault(`Unknown marker ${marker}`);
}
