import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublicError } from '../errors.js';
import { Decimal } from '../types/decimal.js';
import { UUID } from '../types/uuid.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import type { MemoryIn } from './memory-plugin.fixture.js';
import type { RunningService } from './start-service.js';
import { type ServiceFolder, hook, hooks, serviceFolder } from './test-service.fixture.js';

let folder: ServiceFolder;
let running: RunningService;
let orders: MemoryIn;

beforeAll(async () => {
  (globalThis as Record<string, unknown>).__sfHandleTypes = { Decimal, UUID };
  folder = await serviceFolder({
    'server.mjs': `
const { Decimal, UUID } = globalThis.__sfHandleTypes;
export const connection_models = {
  in: {
    orders: {
      connection_type: 'memory_replyer',
      required_creation_arguments: { on_new_request: ${hook('orders')} },
      required_arguments: { order_id: String, price: Decimal },
      optional_arguments: { id: UUID },
      required_return_arguments: { total: Decimal },
    },
  },
};
`,
  });
  const started = await folder.start('server.mjs', {});
  running = started.running;
  orders = started.memory.inputs.get('orders')!;
});

afterAll(async () => {
  await running?.stop();
  await folder.remove();
});

describe('the handling step for args a transport decoded itself (context.handle)', () => {
  it('gives the return args and the workflow id, synchronously for a synchronous handler', () => {
    hooks().orders = (args: { price: Decimal }) => ({ total: args.price.times(2) });
    const handled = orders.context.handle!({ order_id: 'A', price: new Decimal('1.25') }, 'wf-9');
    expect(isPromiseLike(handled)).toBe(false);
    expect(handled).toMatchObject({ ok: true, workflowId: 'wf-9' });
    expect(String((handled as unknown as { returnArgs: { total: Decimal } }).returnArgs.total)).toBe('2.5');
  });

  it('makes a workflow id when none is given, and waits for an async handler', async () => {
    hooks().orders = async () => ({ total: new Decimal(1) });
    const handled = await orders.context.handle!({ order_id: 'A', price: new Decimal(1) }, null);
    expect(handled.ok).toBe(true);
    expect(handled.workflowId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses bad args as the request fault, with the path', async () => {
    const handled = await orders.context.handle!({ order_id: 'A', price: '1.5' }, 'wf-1');
    expect(handled).toMatchObject({ ok: false, fault: 'request', workflowId: 'wf-1', error: { code: 'SF_VALIDATION_FAILED' } });
    expect(handled.ok === false && handled.error.message).toContain('args.price');
  });

  it('a PublicError: its code, message and status; any other error: the generic message', async () => {
    hooks().orders = () => {
      throw new PublicError('no such order', { code: 'ORDER_NOT_FOUND', status: 404 });
    };
    expect(await orders.context.handle!({ order_id: 'A', price: new Decimal(1) }, 'wf-2')).toEqual({
      ok: false,
      workflowId: 'wf-2',
      fault: 'public',
      status: 404,
      error: { type: 'PublicError', code: 'ORDER_NOT_FOUND', message: 'no such order' },
    });
    hooks().orders = () => {
      throw new Error('secret path /etc/x');
    };
    const failed = await orders.context.handle!({ order_id: 'A', price: new Decimal(1) }, 'wf-3');
    expect(failed).toMatchObject({ ok: false, fault: 'service', error: { code: 'SF_HANDLER_FAILED' } });
    expect(JSON.stringify(failed)).not.toContain('/etc/x');
    hooks().orders = () => ({ total: 'x' });
    expect(await orders.context.handle!({ order_id: 'A', price: new Decimal(1) }, 'wf-4')).toMatchObject({ ok: false, fault: 'service' });
  });

  it('json: reads args from their JSON forms and writes return args in JSON form; schemas of both', () => {
    const json = orders.context.json!;
    const args = json.argsFromJson({ order_id: 'A', price: '1.50', id: '123E4567-E89B-12D3-A456-426614174000' }) as Record<string, unknown>;
    expect(args.price).toBeInstanceOf(Decimal);
    expect(args.id).toEqual(new UUID('123e4567-e89b-12d3-a456-426614174000'));
    expect(() => json.argsFromJson({ order_id: 'A', price: 'abc' })).toThrow(/args\.price.*|decimal string/);
    expect(json.returnsToJson({ total: new Decimal('2.5') })).toEqual({ total: '2.5' });
    expect(json.argsSchema).toMatchObject({
      type: 'object',
      required: ['order_id', 'price'],
      properties: { price: { type: 'string', format: 'decimal' } },
    });
    expect(json.returnsSchema).toMatchObject({ properties: { total: { format: 'decimal' } } });
  });
});
