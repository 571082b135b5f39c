#!/usr/bin/env node
// The main job (README): load and check every example service, print what it declares, then run
// each example's system (sf.system.json) with `sf up --once`: real `sf run` processes on free loopback ports.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeArguments, prepareService } from '@sf/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sf = join(root, 'packages/cli/dist/bin.js');

/**
 * Each example: services that serve and the leading-edge one run with -m (its sf.system.json says the same for sf up),
 * with the extra config pairs its sf.system.json gives that one.
 */
const GRAPHS = [
  { example: 'echo', serve: ['replyer.ts'], main: 'requester.ts' },
  { example: 'pubsub', serve: ['btc-watcher.ts', 'eth-watcher.ts'], main: 'publisher.ts' },
  { example: 'pipeline', serve: ['pricer.ts', 'risk-check.ts'], main: 'order-feed.ts' },
  { example: 'market-data', serve: ['strategy.ts'], main: 'market-data.ts' },
  { example: 'external', serve: [], main: 'canceller.ts' },
  {
    example: 'http-front-door',
    serve: ['pricer.ts', 'front-door.ts'],
    main: 'caller.ts',
    extra: { url: 'http://127.0.0.1:15480/api/quote' },
  },
  { example: 'third-party-connection/service', serve: ['receiver.ts'], main: 'sender.ts' },
];

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

console.log('== 1. What the example services declare (loaded and checked, no sockets) ==');
for (const graph of GRAPHS) {
  const dir = join(root, 'examples', graph.example);
  for (const file of [...graph.serve, graph.main]) {
    const addresses = existsSync(join(dir, 'addresses.json')) ? join(dir, 'addresses.json') : undefined;
    const main = file === graph.main;
    const extra = main ? graph.extra : undefined;
    const prepared = await prepareService({ service: join(dir, file), addresses, mainMode: main, cwd: dir, extra });
    console.log(`\n${relative(root, prepared.file)}${file === graph.main ? '  (main mode)' : ''}`);
    for (const model of prepared.models) {
      const reply = model.returns ? ` -> ${describeModel(model, 'return')}` : '';
      console.log(`  ${model.path.padEnd(34)} ${model.typeName} (${model.pluginName})  ${describeModel(model, 'args')}${reply}`);
    }
  }
}

console.log('\n== 2. Running each example system with sf up (checked first, free loopback ports) ==');
for (const graph of GRAPHS) await up(join(root, 'examples', graph.example));
console.log('\nDemo finished: every service stopped cleanly.');

/** `{ text: String, count?: Number }` (or `{ [Decimal]?: Decimal }` for a map) for a model's declared args or return args. */
function describeModel(model, which) {
  return describeArguments(which === 'args' ? model.declared.args : model.declared.returns);
}

/** `sf up --once` in an example folder: its sf.system.json, run until its main-mode services finish. */
function up(dir) {
  console.log(`\n-- ${relative(root, dir)} --`);
  const child = spawn(process.execPath, [sf, 'up', '--once'], { cwd: dir, stdio: 'inherit' });
  children.add(child);
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      children.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`sf up in ${relative(root, dir)} exited with ${code}`));
    }),
  );
}
