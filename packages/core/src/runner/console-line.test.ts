import fc from 'fast-check';
import { type Logger, pino } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { describe, expect, it } from 'vitest';
import { consoleLine, consoleStream } from './console-line.js';

/** What pino-pretty 13 printed with the options the runner gave it before console-line.ts. */
const pretty = prettyFactory({
  singleLine: true,
  colorize: false,
  translateTime: 'HH:MM:ss.l',
  ignore: 'pid,hostname,service,error.stack',
  errorLikeObjectKeys: ['sf_none'],
  messageFormat: '[{service}] {msg}',
});

/** The JSON lines pino writes for `calls`, as the runner's loggers make them. */
function pinoLines(calls: (logger: Logger) => void): string[] {
  const lines: string[] = [];
  const logger: Logger = pino({ level: 'trace', base: { service: 'svc' } }, { write: (line: string) => lines.push(line) });
  calls(logger);
  return lines.map((line) => line.replace(/\n$/, ''));
}

describe('consoleLine', () => {
  it('prints what pino-pretty printed for the lines the runner writes', () => {
    const lines = pinoLines((logger) => {
      logger.info({ models: ['connection_models.in.orders (replyer)'] }, 'ready');
      logger.child({ model: 'connection_models.in.x' }).warn({ n: 1, s: 'a\nb', nested: { deep: [1, { x: null }] } }, 'a "quoted" msg');
      logger.error({ error: { type: 'Error', code: 'SF_X', message: 'boom', stack: 'Error: boom\n    at x' } }, 'failed');
      logger.info({ error: 'not an object' }, 'text error');
      logger.info('plain');
      logger.info({ workflow_id: 'w-1' }, '');
      logger.debug({ path: 'C:\\dir\\file', tab: '\t', unicode: 'é ✓ \u0001' }, 'escapes');
      logger.info({ name: 'n', caller: 'c', timestamp: 5 }, 'pino keys');
      logger.info({ msg: { an: 'object' } });
      logger.info({ 0: 'integer key first', b: 1 }, 'order');
      logger.fatal({ big: 2n ** 70n, n: Number.NaN, f: 1.5 }, 'numbers');
      logger.info(0 as unknown as string);
      logger.info({ constructor: { prototype: { x: 1 } } }, 'refused');
    });
    lines.push('not json', '[1, 2]', '{"level":30,"time":"not a time","msg":"odd time"}', '{"msg":"no level or time"}');
    lines.push('{"level":30,"time":1,"service":"s","__proto__":{"x":1},"a":1}', '{"level":35,"time":1,"msg":"custom level"}');
    for (const line of lines) expect(consoleLine(line), line).toBe(pretty(line));
  });

  it('agrees with pino-pretty on any fields and message', () => {
    const json = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
    // pino-pretty looked each key up in a plain object of prettifiers: one named like a member of Object.prototype printed garbage.
    const key = fc.string({ unit: 'binary', maxLength: 8 }).filter((name) => !(name in Object.prototype));
    fc.assert(
      fc.property(fc.dictionary(key, json, { maxKeys: 6 }), fc.string({ unit: 'binary' }), (fields, message) => {
        for (const line of pinoLines((logger) => logger.warn(fields, message))) expect(consoleLine(line)).toBe(pretty(line));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes each line of what pino hands the stream, newline-terminated', () => {
    const written: string[] = [];
    const stream = consoleStream((text) => written.push(text));
    stream.write('{"level":30,"time":0,"service":"s","msg":"one"}\n');
    expect(written).toEqual(['[00:00:00.000] INFO: [s] one\n']);
  });
});
