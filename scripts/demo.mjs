#!/usr/bin/env node
// The main job (README): load and check every example service, print what it declares, then run
// each example's service graph on free loopback ports with real `sf run` processes, and stop.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeArguments, prepareService } from '@sf/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sf = join(root, 'packages/cli/dist/bin.js');

/** Each example: services that serve (started first) and the leading-edge one run with -m. */
const GRAPHS = [
  { example: 'echo', serve: ['replyer.ts'], main: 'requester.ts', extra: ['--words', 'ping pong'] },
  { example: 'pubsub', serve: ['btc-watcher.ts', 'eth-watcher.ts'], main: 'publisher.ts', extra: ['--rounds', '2'] },
  { example: 'pipeline', serve: ['pricer.ts', 'risk-check.ts'], main: 'order-feed.ts' },
  { example: 'market-data', serve: ['strategy.ts'], main: 'market-data.ts' },
  { example: 'external', serve: [], main: 'canceller.ts' },
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
    const prepared = await prepareService({ service: join(dir, file), addresses, mainMode: file === graph.main, cwd: dir });
    console.log(`\n${relative(root, prepared.file)}${file === graph.main ? '  (main mode)' : ''}`);
    for (const model of prepared.models) {
      const reply = model.returns ? ` -> ${describeModel(model, 'return')}` : '';
      console.log(`  ${model.path.padEnd(34)} ${model.typeName} (${model.pluginName})  ${describeModel(model, 'args')}${reply}`);
    }
  }
}

console.log('\n== 2. Running each example graph on free loopback ports ==');
const work = await mkdtemp(join(tmpdir(), 'sf-demo-'));
try {
  for (const graph of GRAPHS) await runGraph(graph);
} finally {
  await rm(work, { recursive: true, force: true });
}
console.log('\nDemo finished: every service stopped cleanly.');

/** `{ text: String, count?: Number }` (or `{ [Decimal]?: Decimal }` for a map) for a model's declared args or return args. */
function describeModel(model, which) {
  return describeArguments(which === 'args' ? model.declared.args : model.declared.returns);
}

async function runGraph(graph) {
  const dir = join(root, 'examples', graph.example);
  console.log(`\n-- ${graph.example} --`);
  const addressArgs = [];
  if (existsSync(join(dir, 'addresses.json'))) {
    const addresses = join(work, `${graph.example.replaceAll("/", "-")}-addresses.json`);
    await writeFile(addresses, await withFreePorts(join(dir, 'addresses.json')));
    addressArgs.push('-a', addresses);
  }
  const servers = [];
  for (const file of graph.serve) servers.push(await start(dir, file, addressArgs, true));
  const main = await start(dir, graph.main, [...addressArgs, '-m', ...(graph.extra ?? [])], false);
  const code = await main.exited;
  if (code !== 0) throw new Error(`${graph.main} exited with ${code}`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const server of servers) server.child.kill('SIGINT');
  for (const server of servers) {
    const serverCode = await server.exited;
    if (serverCode !== 0) throw new Error(`${server.file} exited with ${serverCode}`);
  }
}

/** Starts `sf run` for one service; resolves once it is ready (serving) or started (main mode). */
function start(dir, file, args, waitReady) {
  const child = spawn(process.execPath, [sf, 'run', '-s', file, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise((resolve) => child.on('exit', (code) => (children.delete(child), resolve(code))));
  const name = file.replace(/\.ts$/, '');
  let ready;
  const isReady = new Promise((resolve) => (ready = resolve));
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        if (/\] ready\b/.test(line)) ready();
        if (line.trim() !== '') console.log(`  ${line.startsWith('[') ? '' : `[${name}] `}${line}`);
      }
    });
  }
  if (!waitReady) return { child, file, exited };
  return Promise.race([isReady, exited.then((code) => Promise.reject(new Error(`${file} exited with ${code} before it was ready`)))]).then(() => ({ child, file, exited }));
}

/** The example's addresses file with every port replaced by a free one (same port → same free port). */
async function withFreePorts(file) {
  const text = await readFile(file, 'utf8');
  const ports = new Map();
  for (const [, port] of text.matchAll(/:(\d{2,5})"/g)) if (!ports.has(port)) ports.set(port, await freePort());
  return text.replace(/:(\d{2,5})"/g, (_, port) => `:${ports.get(port)}"`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
