// @ts-check
// Bare counterpart of services/bench-http.ts: one fastify route, POST /orders, validating the body
// with the same JSON Schema (the JSON form of the order model, from a file) and answering
// `{order_id, status}`.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { parseArgs } from './common.mjs';

const args = parseArgs();
const schema = JSON.parse(readFileSync(args.schema ?? '', 'utf8'));
// Not strict: ajv (draft-07 here) does not know the schema's OpenAPI format 'decimal'; its pattern checks the text.
const app = Fastify({ logger: false, ajv: { customOptions: { strict: false } } });
app.post('/orders', { schema: { body: schema } }, async (request) => ({
  order_id: /** @type {{ order_id: string }} */ (request.body).order_id,
  status: 'accepted',
}));
await app.listen({ host: '127.0.0.1', port: Number(args.port) });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void app.close().then(() => process.exit(0)));
console.log('raw http ready');
