import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ResolvedModel } from '../models/resolved-model.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import { InflightCounter } from './inbound.js';
import { Outputs } from './outputs.js';
import { createStateUpdater } from './states.js';

/** An in-state `book` with `on_update` (when given), its states object, the updater, and the warn lines logged. */
function updaterWith(onUpdate?: (value: Record<string, unknown>, toSend: unknown) => unknown) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  const model = {
    name: 'book',
    kind: 'state',
    side: 'in',
    path: 'state_models.in.book',
    creation: onUpdate === undefined ? {} : { on_update: onUpdate },
  } as unknown as ResolvedModel;
  const states: Record<string, unknown> = {};
  const inflight = new InflightCounter();
  const update = createStateUpdater(model, { outputs: new Outputs('svc.ts', logger), states, config: {}, logger, inflight });
  return { update, states, inflight, lines };
}

describe('state update', () => {
  it('sets states[name] and returns no promise without on_update, or after a synchronous one', async () => {
    const plain = updaterWith();
    expect(plain.update({ a: 1 }, 'wf-1')).toBeUndefined();
    expect(plain.states.book).toEqual({ a: 1 });

    const seen: unknown[] = [];
    const sync = updaterWith((value, toSend) => {
      seen.push(value, typeof toSend);
    });
    expect(sync.update({ a: 2 }, 'wf-2')).toBeUndefined();
    expect(seen).toEqual([{ a: 2 }, 'function']);
    expect(sync.inflight.count).toBe(0);
  });

  it('counts an async on_update as in flight until it settles', async () => {
    let finish: (() => void) | undefined;
    const later = updaterWith(() => new Promise<void>((resolve) => (finish = resolve)));
    const done = later.update({ a: 3 }, null);
    expect(isPromiseLike(done)).toBe(true);
    expect(later.states.book).toEqual({ a: 3 });
    expect(later.inflight.count).toBe(1);
    finish?.();
    await done;
    expect(later.inflight.count).toBe(0);
  });

  it('logs an on_update that throws or rejects, and never passes the error on', async () => {
    const throwing = updaterWith(() => {
      throw new Error('sync boom');
    });
    expect(throwing.update({ a: 1 }, 'wf-1')).toBeUndefined();
    const rejecting = updaterWith(async () => {
      throw new Error('async boom');
    });
    await expect(rejecting.update({ a: 1 }, 'wf-2')).resolves.toBeUndefined();
    await expect
      .poll(() =>
        [...throwing.lines, ...rejecting.lines].map((line) => [line.msg, line.workflow_id, (line.err as { message: string }).message]),
      )
      .toEqual([
        ['on_update threw', 'wf-1', 'sync boom'],
        ['on_update threw', 'wf-2', 'async boom'],
      ]);
    expect(throwing.inflight.count + rejecting.inflight.count).toBe(0);
  });
});
