import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { decodeReply, encodeRequest } from '../codec/envelope.js';
import type { ResolvedModel } from '../models/resolved-model.js';
import type { TypeDefinition } from '../plugin/contract.js';
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

function receiverWith(level: string) {
  const { logger, lines } = memoryLogger(level);
  const model = {
    name: 'orders',
    kind: 'connection',
    side: 'in',
    path: 'connection_models.in.orders',
    definition: { replies: true } as TypeDefinition,
    handler: (args: { id: string }) => ({ status: `ok ${args.id}` }),
    args: compileArguments({ required: { id: String } }, { root: 'args' }),
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
    expect(lines).toContainEqual(expect.objectContaining({ level: 20, msg: 'received', workflow_id: 'wf-1', from: 'connection_models.in.orders' }));
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
