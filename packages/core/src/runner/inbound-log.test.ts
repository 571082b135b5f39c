import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { decodeReply, encodeRequest } from '../codec/envelope.js';
import { PublicError } from '../errors.js';
import type { ResolvedModel } from '../models/resolved-model.js';
import type { TypeDefinition } from '../plugin/contract.js';
import type { ArgumentModel } from '../types/spec.js';
import { compileArguments } from '../types/compile-arguments.js';
import { InflightCounter, createReceiver } from './inbound.js';
import { Outputs } from './outputs.js';

/** A logger at `level` that keeps the JSON lines it writes. */
function memoryLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

function receiverWith(
  level: string,
  handler = (args: { id: string }): unknown => ({ status: `ok ${args.id}` }),
  required: ArgumentModel = { id: String },
) {
  const { logger, lines } = memoryLogger(level);
  const model = {
    name: 'orders',
    kind: 'connection',
    side: 'in',
    path: 'connection_models.in.orders',
    definition: { replies: true } as TypeDefinition,
    handler,
    args: compileArguments({ required }, { root: 'args' }),
    returns: compileArguments({ required: { status: String } }, { root: 'return_args' }),
  } as unknown as ResolvedModel;
  const scope = { outputs: new Outputs('svc.ts', logger), states: {}, config: {}, logger, inflight: new InflightCounter() };
  return { receive: createReceiver(model, scope), logger, lines };
}

describe('the per-message debug line', () => {
  it('is written with its workflow id when the level is debug', async () => {
    const { receive, lines } = receiverWith('debug');
    const reply = await receive(encodeRequest({ args: { id: 'A' }, workflow_id: 'wf-1' }));
    expect(decodeReply(reply!).return_args).toEqual({ status: 'ok A' });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 20, msg: 'received', workflow_id: 'wf-1', from: 'connection_models.in.orders' }),
    );
  });

  it('is not even built when the level is above debug', async () => {
    const { receive, logger, lines } = receiverWith('info');
    const debug = vi.spyOn(logger, 'debug');
    const reply = await receive(encodeRequest({ args: { id: 'A' }, workflow_id: 'wf-1' }));
    expect(decodeReply(reply!).return_args).toEqual({ status: 'ok A' });
    expect(debug).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });
});

describe('the warn line of a failed message', () => {
  it('holds the whole error under the workflow id, while the reply holds neither its text nor its stack', async () => {
    const { receive, lines } = receiverWith('info', () => {
      throw new Error('secret at /etc/app/key.pem');
    });
    const reply = decodeReply((await receive(encodeRequest({ args: { id: 'A' }, workflow_id: 'wf-9' })))!);
    expect(reply.error?.message).toContain('wf-9');
    expect(JSON.stringify(reply)).not.toMatch(/secret|key\.pem|\/etc|at .*:\d+/);
    expect(lines.find((entry) => entry.msg === 'the handler threw')).toMatchObject({
      level: 40,
      workflow_id: 'wf-9',
      from: 'connection_models.in.orders',
      err: { message: 'secret at /etc/app/key.pem', stack: expect.stringContaining('inbound-log.test.ts') },
    });
  });
});

describe('peer data quoted back', () => {
  it('is cut to a few characters with its length, in the error reply and in the log line', async () => {
    const { receive, lines } = receiverWith('info', undefined, { id: Number });
    const huge = `${'1'.repeat(50_000)}x`;
    const reply = decodeReply((await receive(encodeRequest({ args: { id: huge }, workflow_id: 'wf-big' })))!);
    expect(reply.error?.type).toBe('ValidationError');
    expect(reply.error?.message).toContain('(50001 chars)');
    expect(reply.error!.message.length).toBeLessThan(400);
    const line = lines.find((entry) => entry.msg === 'rejected a message with bad arguments');
    expect(JSON.stringify(line).length).toBeLessThan(2000);
  });

  it('a handler error meant for the peer is cut to MAX_REPLY_MESSAGE characters', async () => {
    const { receive } = receiverWith('info', () => {
      throw new PublicError(`bad ${'y'.repeat(50_000)}`);
    });
    const reply = decodeReply((await receive(encodeRequest({ args: { id: 'A' }, workflow_id: 'wf-pub' })))!);
    expect(reply.error?.message).toMatch(/^bad y+… \(50004 chars\)$/);
    expect(reply.error!.message.length).toBeLessThan(1100);
  });
});
