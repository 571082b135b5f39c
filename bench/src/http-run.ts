/**
 * One HTTP request/reply run (case 10): a server process (the framework's `http_replyer` under
 * `sf run`, or a bare fastify route), then `count` sequential POSTs from this process over one
 * keep-alive connection, after `warmup` calls.
 */
import { Agent, request } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { compileArguments } from '@sf/core';
import { jsonForms } from '@sf/core/plugin';
import { freePort } from '@sf/core/testing';
import type { CaseContext } from './case-context.js';
import { ORDER_ARGS, ORDER_OPTIONAL_ARGS } from './payload.js';
import { READY, rawRun, sfRun } from './processes.js';
import type { Side } from './pubsub-run.js';

/** What one run measured. */
export interface HttpRun {
  /** Round trip of every measured call, µs. */
  latencies_us: number[];
  /** Wall time of the measured calls, ms. */
  elapsed_ms: number;
}

/** The order in its JSON form (the price a decimal string). */
const BODY = JSON.stringify({ order_id: 'o-0001234', symbol: 'BTC-USD', side: 'buy', price: '101.25', quantity: 3 });

/** The JSON Schema of the order's JSON form, as the framework derives it (the bare route validates with it). */
export function orderSchema(): object {
  return jsonForms(compileArguments({ required: ORDER_ARGS, optional: ORDER_OPTIONAL_ARGS }, { root: 'args' })).argsSchema;
}

/** Runs `count` calls against `side` and stops what it started. */
export async function runHttp(ctx: CaseContext, side: Side, count: number, warmup: number): Promise<HttpRun> {
  const port = await freePort();
  try {
    if (side === 'framework') {
      const addresses = await ctx.addresses({ connections: { in: { orders: { http: `127.0.0.1:${port}` } } } });
      await ctx.track(sfRun('bench-http.ts', ['-a', addresses])).waitForLine(READY, ctx.profile.resultTimeoutMs);
    } else {
      const schema = ctx.file('order-schema.json');
      await writeFile(schema, JSON.stringify(orderSchema()));
      await ctx.track(rawRun('raw-http.mjs', { port, schema })).waitForLine(READY, ctx.profile.resultTimeoutMs);
    }
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < warmup; i++) await post(agent, port);
      const latencies_us: number[] = new Array(count);
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        const t0 = performance.now();
        await post(agent, port);
        latencies_us[i] = (performance.now() - t0) * 1000;
      }
      return { latencies_us, elapsed_ms: performance.now() - started };
    } finally {
      agent.destroy();
    }
  } finally {
    await ctx.stopStarted();
  }
}

/** One POST /orders; rejects unless the answer is 200. */
function post(agent: Agent, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: '127.0.0.1', port, path: '/orders', method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`POST /orders answered ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(BODY);
  });
}
