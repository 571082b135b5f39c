/**
 * Date ⇄ the `as_str` of a `__datetime__` marker, in the ISO-8601 form Python's
 * `datetime.isoformat()` prints and `datetime.fromisoformat()` reads.
 *
 * Writing: UTC with an explicit `+00:00` offset and microseconds (`.123000`) unless the
 * milliseconds are zero, exactly what Python prints for the same aware UTC datetime.
 * Reading: `YYYY-MM-DD`, optionally `T` or space and `HH:MM[:SS[.fraction]]`, optionally `Z` or
 * `±HH:MM[:SS[.ffffff]]` (also without colons). A time without an offset (a Python naive
 * datetime) is read as UTC, never as the machine's local time. JS dates hold milliseconds, so
 * fraction digits after the third are dropped (truncated, as Python truncates to microseconds).
 */

const ISO = new RegExp(
  String.raw`^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?` +
    String.raw`(?:([Zz])|([+-])(\d{2}):?(\d{2})(?::?(\d{2})(?:\.(\d{1,6}))?)?)?)?$`,
);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Formats a valid date in years 1-9999 as Python's `isoformat()` of the same UTC time, else `undefined`. */
export function formatWireDate(date: Date): string | undefined {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 1 || year > 9999) return undefined;
  const ms = date.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${pad(ms, 3)}000`;
  return (
    `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}${fraction}+00:00`
  );
}

/** Parses an ISO-8601 date-time (see the module comment), or returns `undefined` if it is not one. */
export function parseWireDate(text: string): Date | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMs = 0;
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    const offsetSeconds = Number(m[12] ?? 0);
    if (offsetHours > 23 || offsetMinutes > 59 || offsetSeconds > 59) return undefined;
    const offsetMicros = m[13] === undefined ? 0 : Number(m[13].padEnd(6, '0'));
    offsetMs = ((offsetHours * 60 + offsetMinutes) * 60 + offsetSeconds) * 1000 + Math.trunc(offsetMicros / 1000);
    if (m[9] === '-') offsetMs = -offsetMs;
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return new Date(date.getTime() - offsetMs);
}
