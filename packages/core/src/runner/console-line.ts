/**
 * The console's log lines, from pino's JSON lines: `[HH:MM:ss.l] LEVEL: [service] message {rest as JSON}`.
 * This is what pino-pretty 13 printed with the options the runner gave it (single line, no colour,
 * UTC time, `pid`, `hostname`, `service` and `error.stack` left out, message `[{service}] {msg}`),
 * written here because loading pino-pretty and its streams was a tenth of every `sf run` start-up.
 * console-line.test.ts compares the two line for line. One difference: a field named like a member of
 * `Object.prototype` (`toString`, `valueOf`…) is printed as its value, where pino-pretty printed what
 * calling that member returned.
 */

const LEVELS: Readonly<Record<string, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Keys never printed among the fields: pino's own, and `service` (in the message). */
const NOT_FIELDS: ReadonlySet<string> = new Set(['pid', 'hostname', 'name', 'level', 'time', 'timestamp', 'caller', 'service']);

/** The console line (ending in a newline) of one JSON log line; text that is not a JSON object is printed as it is. */
export function consoleLine(json: string): string {
  const log = parseLog(json);
  if (log === undefined) return `${json}\n`;
  let line = '';
  const time = 'time' in log ? log.time : 'timestamp' in log ? log.timestamp : null;
  if (time !== null) line = `[${formatTime(time)}]`;
  if (log.level !== undefined) line = `${line}${line === '' ? '' : ' '}${LEVELS[String(log.level)] ?? 'USERLVL'}`;
  const metadata = metadataOf(log);
  if (metadata !== '') line = `${line}${line === '' ? '' : ' '}${metadata}`;
  if (line !== '') line += ':';
  const message = `[${templateValue(log.service)}] ${templateValue(log.msg)}`;
  line = line === '' ? message : `${line} ${message}`;
  const fields: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(log)) {
    if (NOT_FIELDS.has(key) || (key === 'msg' && isPrimitive(log.msg))) continue;
    fields[key] = key === 'error' ? withoutStack(log.error) : log[key];
    any = true;
  }
  // pino-pretty turned every `\\` of the JSON into `\`; kept, so the lines read as before.
  return any ? `${line} ${JSON.stringify(fields).replace(/\\\\/g, '\\')}\n` : `${line}\n`;
}

/** A console stream for pino: each JSON line written becomes a console line on standard output, synchronously. */
export function consoleStream(write: (text: string) => void = (text) => process.stdout.write(text)): { write(data: string): void } {
  return {
    write(data) {
      for (const json of data.split('\n')) if (json !== '') write(consoleLine(json));
    },
  };
}

type Log = Record<string, unknown>;

/** The log object, or undefined when `json` is not a JSON object (or carries a prototype-polluting key, as pino-pretty refused). */
function parseLog(json: string): Log | undefined {
  try {
    const value: unknown = /__proto__|constructor|\\u00/.test(json) ? JSON.parse(json, guarded) : JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Log) : undefined;
  } catch {
    return undefined;
  }
}

/** As secure-json-parse: `__proto__` keys dropped, a `constructor.prototype` refused. */
function guarded(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined;
  if (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype'))
    throw new Error('constructor.prototype in a log line');
  return value;
}

/** `(name) <caller>` when the log has them. */
function metadataOf(log: Log): string {
  const name = log.name ? `(${String(log.name)})` : '';
  if (!log.caller) return name;
  return `${name}${name === '' ? '' : ' '}<${String(log.caller)}>`;
}

/** A value put in the message template: as text, nothing for a falsy one. */
function templateValue(value: unknown): string {
  return value ? String(value) : '';
}

function isPrimitive(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** An `error` object without its stack (which goes to the log files only). */
function withoutStack(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || Array.isArray(error) || !Object.hasOwn(error, 'stack')) return error;
  const { stack: _stack, ...rest } = error as Record<string, unknown>;
  return rest;
}

/** `HH:MM:ss.l` in UTC; a time that is not a date is printed as it is. */
function formatTime(time: unknown): string {
  let date = new Date(time as string | number);
  if (Number.isNaN(date.getTime())) date = new Date(Number(time));
  if (Number.isNaN(date.getTime())) return String(time);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${String(date.getUTCMilliseconds()).padStart(3, '0')}`;
}
