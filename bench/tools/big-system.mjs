// @ts-check
// Writes a system of N services for timing `sf check` (and `sf graph`) on a big system: a chain of
// request/reply calls (service i calls service i+1 with a five-argument model) and one
// `mapOf(Decimal, Decimal)` delta state that svc-0 writes and every other service reads, so one
// state wire has N-1 readers. The folder must sit where @sf/core, @sf/conn-zmq-reqrep and
// @sf/state-delta resolve (inside bench/, whose package.json declares them):
//   node tools/big-system.mjs .big-system-400 400 && cd .big-system-400 && /usr/bin/time node ../../packages/cli/dist/bin.js check
// The folder is bench/.big-system-* (git-ignored); remove it when done.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, count] = [process.argv[2] ?? '.big-system', Number(process.argv[3] ?? 200)];
mkdirSync(dir, { recursive: true });
const args = `{ order_id: String, price: Decimal, quantity: Number, side: oneOf('buy', 'sell'), tags: [String] }`;
/** @param {Record<string, string>} models */
const section = (models) =>
  `{ ${Object.entries(models)
    .map(([name, model]) => `${name}: ${model}`)
    .join(', ')} }`;
/** @type {Record<string, { service: string, main?: boolean }>} */
const services = {};
for (let i = 0; i < count; i++) {
  /** @type {Record<string, string>[]} */
  const [connIn = {}, connOut = {}, stateIn = {}, stateOut = {}] = [{}, {}, {}, {}];
  if (i > 0)
    connIn[`call_${i}`] =
      `{ connection_type: 'replyer', required_creation_arguments: { on_new_request: () => ({ ok: true }) }, ` +
      `required_arguments: ${args}, required_return_arguments: { ok: Boolean } }`;
  if (i < count - 1)
    connOut[`call_${i + 1}`] = `{ connection_type: 'requester', required_arguments: ${args}, required_return_arguments: { ok: Boolean } }`;
  const book = `optional_arguments: mapOf(Decimal, Decimal) }`;
  if (i === 0) stateOut.book = `{ state_type: 'delta_update_out', ${book}`;
  else stateIn.book = `{ state_type: 'delta_update_in', ${book}`;
  const body = [
    "import { Decimal, defineService, mapOf, oneOf } from '@sf/core';",
    'export default defineService({',
    `  connection_models: { in: ${section(connIn)}, out: ${section(connOut)} },`,
    `  state_models: { in: ${section(stateIn)}, out: ${section(stateOut)} },`,
    i === 0 ? '  main: async () => {},' : '',
    '});',
    '',
  ].join('\n');
  writeFileSync(join(dir, `svc-${i}.ts`), body);
  services[`svc-${i}`] = i === 0 ? { service: `svc-${i}.ts`, main: true } : { service: `svc-${i}.ts` };
}
writeFileSync(join(dir, 'sf.system.json'), `${JSON.stringify({ name: `big-${count}`, services }, null, 2)}\n`);
console.log(`Wrote ${count} services and ${join(dir, 'sf.system.json')}`);
