import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, listen, sleep, type TestContext, testContext } from '@sf/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { curveKeyPair, Request, Reply } from 'zeromq';
import { bindSocket, connectSocket } from './bind-connect.js';
import { closeSocket } from './close.js';
import { createSocket, socketSettings } from './create-socket.js';
import { readKeyPair, type WrittenKeyPair, writeKeyPair } from './key-files.js';
import { ReplyServer } from './reply-server.js';
import { tcpRecorder } from './tcp-recorder.fixture.js';
import { TopicPublisher } from './topic-publisher.js';
import { TopicSubscriber } from './topic-subscriber.js';
import { keyId } from './z85.js';
import { REFUSAL_LINES, registerZapDomain, ZAP_ENDPOINT, zapSocket } from './zap-handler.js';

const dir = mkdtempSync(join(tmpdir(), 'sf-curve-'));
let server: WrittenKeyPair;
let client: WrittenKeyPair;
let stranger: WrittenKeyPair;
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  server = await writeKeyPair(dir, 'server');
  client = await writeKeyPair(dir, 'client');
  stranger = await writeKeyPair(dir, 'stranger');
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PLAINTEXT = 'PLAINTEXT-ORDER-7f3a9c';
const serverCurve = () => ({ key_file: server.secretFile, allowed_clients_file: client.publicFile });
const clientCurve = (keys: WrittenKeyPair = client) => ({ key_file: keys.secretFile, server_public_key_file: server.publicFile });

/** A ReplyServer at `port` that answers `echo <body>`, and the context it logs to. */
async function echoServer(port: number, curve?: object): Promise<TestContext> {
  const context = testContext({ name: 'quotes', addresses: { replyer: `127.0.0.1:${port}` }, creation: curve ? { curve } : {} });
  const replyer = new ReplyServer(context, { label: 'replyer', answer: (body) => Buffer.concat([Buffer.from('echo '), body]) });
  cleanups.push(() => replyer.close());
  await replyer.open();
  return context;
}

/** Sends `text` from a requester with `curve` to `port`; resolves to the reply, or `undefined` after `ms`. */
async function ask(port: number, text: string, curve?: object, ms = 800): Promise<{ reply: string | undefined; context: TestContext }> {
  const context = testContext({
    name: 'ask',
    side: 'out',
    addresses: { requester: `127.0.0.1:${port}` },
    creation: curve ? { curve } : {},
  });
  const socket = createSocket(Request, context, 'connect', 'requester');
  socket.receiveTimeout = ms;
  cleanups.push(() => closeSocket(socket, 0));
  connectSocket(
    socket,
    { path: 'connections.out.ask.requester', endpoint: `tcp://127.0.0.1:${port}`, endpoints: [`tcp://127.0.0.1:${port}`] },
    context,
  );
  await socket.send(text);
  try {
    const [reply] = await socket.receive();
    return { reply: String(reply), context };
  } catch {
    return { reply: undefined, context };
  }
}

describe('CURVE on request/reply', () => {
  it('a client with an allowed key and the server public key is answered', async () => {
    const port = await freePort();
    await echoServer(port, serverCurve());
    expect((await ask(port, 'hello', clientCurve())).reply).toBe('echo hello');
  });

  it('a client key not in the allow-list gets no answer; the server logs the refusal with its short id only', async () => {
    const port = await freePort();
    const context = await echoServer(port, serverCurve());
    const { reply, context: clientContext } = await ask(port, 'let me in', clientCurve(stranger));
    expect(reply).toBeUndefined();
    const refusal = context.logs.find((line) => line.level === 'warn' && String(line.msg).includes('not in the allowed client keys'));
    expect(refusal?.obj).toMatchObject({ client_key: keyId(stranger.publicKey), address: 'connections.in.quotes.replyer' });
    expect(JSON.stringify(context.logs)).not.toContain(stranger.publicKey);
    await expect.poll(() => clientContext.logs.some((line) => String(line.msg).includes('refused this side'))).toBe(true);
  });

  it('a client without CURVE, or with another server key, gets no answer, and the server logs the failed handshake', async () => {
    const port = await freePort();
    const context = await echoServer(port, serverCurve());
    expect((await ask(port, 'plain')).reply).toBeUndefined();
    expect(context.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringContaining('failed the CURVE handshake') }),
    );
    const wrongServer = { key_file: client.secretFile, server_public_key: stranger.publicKey };
    expect((await ask(port, 'wrong server key', wrongServer)).reply).toBeUndefined();
  });

  it('encrypts: the plaintext is on the wire without CURVE and absent with it', async () => {
    for (const curve of [false, true]) {
      const port = await freePort();
      await echoServer(port, curve ? serverCurve() : undefined);
      const recorder = await tcpRecorder(port);
      cleanups.push(() => recorder.close());
      expect((await ask(recorder.port, PLAINTEXT, curve ? clientCurve() : undefined)).reply).toBe(`echo ${PLAINTEXT}`);
      const wire = recorder.bytes();
      expect(wire.length).toBeGreaterThan(PLAINTEXT.length);
      expect(wire.includes(PLAINTEXT), `curve ${curve}`).toBe(!curve);
    }
  });
});

describe('CURVE on publish/subscribe', () => {
  async function subscriber(port: number, curve: object): Promise<string[]> {
    const payloads: string[] = [];
    const context = testContext({ name: 'ticks', addresses: { subscriber: `127.0.0.1:${port}` }, creation: { curve } });
    const socket = new TopicSubscriber(context, {
      label: 'subscriber',
      deliver: async (payload) => {
        payloads.push(Buffer.from(payload).toString());
      },
    });
    cleanups.push(() => socket.close());
    await socket.open();
    return payloads;
  }

  it('an allowed subscriber receives and its bytes on the wire are encrypted; a stranger receives nothing', async () => {
    const port = await freePort();
    const context = testContext({
      name: 'ticks',
      kind: 'state',
      side: 'out',
      addresses: { publisher: `127.0.0.1:${port}` },
      creation: { curve: serverCurve(), wait_after_creation_s: 0 },
    });
    const publisher = new TopicPublisher(context, { label: 'publisher' });
    cleanups.push(() => publisher.close());
    await publisher.open();
    const recorder = await tcpRecorder(port);
    cleanups.push(() => recorder.close());
    const allowed = await subscriber(recorder.port, clientCurve());
    const refused = await subscriber(port, clientCurve(stranger));
    await expect
      .poll(async () => {
        await publisher.send(Buffer.from(PLAINTEXT));
        return allowed.length;
      })
      .toBeGreaterThan(0);
    await sleep(200);
    expect(allowed[0]).toBe(PLAINTEXT);
    expect(refused).toEqual([]);
    expect(recorder.bytes().includes(PLAINTEXT)).toBe(false);
  });
});

describe('CURVE settings', () => {
  const context = (creation: Record<string, unknown>) => testContext({ name: 'x', addresses: {}, creation });

  it('a connecting socket needs the server key, a binding one an allow-list', () => {
    expect(() => socketSettings(context({ curve: { key_file: client.secretFile } }), 'connect')).toThrow(
      expect.objectContaining({
        code: 'SF_VALIDATION_FAILED',
        location: expect.objectContaining({ argument: 'optional_creation_arguments.curve.server_public_key' }),
      }),
    );
    expect(() => socketSettings(context({ curve: { key_file: server.secretFile } }), 'bind')).toThrow(
      expect.objectContaining({
        code: 'SF_VALIDATION_FAILED',
        location: expect.objectContaining({ argument: 'optional_creation_arguments.curve.allowed_clients_file' }),
      }),
    );
    expect(socketSettings(context({ curve: serverCurve() }), 'bind').curve?.allowed).toEqual(new Set([client.publicKey]));
  });

  it('takes inline keys (as setup_connections would inject them) and never quotes a bad one', () => {
    const pair = curveKeyPair();
    const inline = socketSettings(
      context({ curve: { public_key: pair.publicKey, secret_key: pair.secretKey, allowed_client_keys: [client.publicKey] } }),
      'bind',
    );
    expect(inline.curve?.keys).toEqual(pair);
    const bad = `${pair.secretKey.slice(0, 20)}`;
    let message = '';
    try {
      socketSettings(context({ curve: { public_key: pair.publicKey, secret_key: bad, allowed_client_keys: [] } }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('optional_creation_arguments.curve.secret_key');
    expect(message).toContain('20-character string');
    expect(message).not.toContain(bad);
    expect(() => socketSettings(context({ curve: { key_file: server.secretFile, secret_key: pair.secretKey } }))).toThrow(/not both/);
    expect(() => socketSettings(context({ curve: { allowed_client_keys: [] } }))).toThrow(/key pair/);
  });
});

describe('a key pair file other users can read', () => {
  const context = (creation: Record<string, unknown>) => testContext({ name: 'x', addresses: {}, creation });

  it('is refused (SF_KEY_FILE_READABLE, naming the file and the fix) when every user may read it; group-readable only warns', async () => {
    const loose = await writeKeyPair(join(dir, 'loose'), 'server');
    chmodSync(loose.secretFile, 0o644);
    let refused: unknown;
    try {
      socketSettings(context({ curve: { key_file: loose.secretFile } }));
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({
      name: 'ConfigError',
      code: 'SF_KEY_FILE_READABLE',
      location: { argument: 'optional_creation_arguments.curve.key_file' },
    });
    expect(String((refused as Error).message)).toContain('mode 0644');
    expect(String((refused as Error).message)).toContain(`chmod 600 ${loose.secretFile}`);
    expect(String((refused as Error).message)).not.toContain(readKeyPair(loose.secretFile, {}).secretKey);
    chmodSync(loose.secretFile, 0o640);
    const port = await freePort();
    const warned = await echoServer(port, { key_file: loose.secretFile, allowed_clients_file: client.publicFile });
    expect(warned.logs.some((line) => line.level === 'warn' && String(line.msg).includes('readable by other users'))).toBe(true);
  });

  it('is let through with a warning when SF_ALLOW_READABLE_KEYS=1', async () => {
    const loose = await writeKeyPair(join(dir, 'allowed'), 'server');
    chmodSync(loose.secretFile, 0o644);
    process.env.SF_ALLOW_READABLE_KEYS = '1';
    cleanups.push(() => {
      delete process.env.SF_ALLOW_READABLE_KEYS;
    });
    const port = await freePort();
    const warned = await echoServer(port, { key_file: loose.secretFile, allowed_clients_file: client.publicFile });
    expect(warned.logs.some((line) => line.level === 'warn' && String(line.msg).includes('readable by other users'))).toBe(true);
  });
});

describe('the ZAP handler', () => {
  it('is bound while a CURVE server is open and released after the last one closes', async () => {
    const port = await freePort();
    const ctx = testContext({ name: 'one', addresses: { replyer: `127.0.0.1:${port}` }, creation: { curve: serverCurve() } });
    const replyer = new ReplyServer(ctx, { label: 'replyer', answer: () => Buffer.from('ok') });
    await replyer.open();
    const probe = new Reply({ linger: 0 });
    await expect(probe.bind(ZAP_ENDPOINT)).rejects.toThrow();
    await replyer.close();
    await expect
      .poll(async () => {
        try {
          await probe.bind(ZAP_ENDPOINT);
          return true;
        } catch {
          return false;
        }
      })
      .toBe(true);
    probe.close();
    await sleep(50);
    // Bound again for the next CURVE server, which still works.
    const again = await freePort();
    await echoServer(again, serverCurve());
    expect((await ask(again, 'again', clientCurve())).reply).toBe('echo again');
  });

  it('is bound again at once when a CURVE server opens right after the last one closed', async () => {
    for (let round = 0; round < 15; round += 1) {
      const first = registerZapDomain({ allowed: new Set(), logger: testContext({ addresses: {} }).logger, address: 'a' });
      await first.ready;
      first.release();
      const second = registerZapDomain({ allowed: new Set(), logger: testContext({ addresses: {} }).logger, address: 'b' });
      await expect(second.ready).resolves.toBeUndefined();
      second.release();
    }
  });

  it('is released when a CURVE server fails to bind', async () => {
    const port = await freePort();
    const holder = await listen(port);
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const ctx = testContext({ name: 'taken', addresses: { replyer: `127.0.0.1:${port}` }, creation: { curve: serverCurve() } });
    const replyer = new ReplyServer(ctx, { label: 'replyer', answer: () => Buffer.from('ok') });
    await expect(replyer.open()).rejects.toMatchObject({ code: 'SF_BIND_FAILED' });
    const probe = new Reply({ linger: 0 });
    cleanups.push(() => probe.close());
    await expect
      .poll(async () => {
        try {
          await probe.bind(ZAP_ENDPOINT);
          return true;
        } catch {
          return false;
        }
      })
      .toBe(true);
  });

  it('answers 400 to a domain it does not know (fail closed)', async () => {
    const port = await freePort();
    const ctx = testContext({ name: 'raw', addresses: { replyer: `127.0.0.1:${port}` }, creation: { curve: serverCurve() } });
    const socket = createSocket(Reply, ctx, 'bind', 'replyer');
    socket.zapDomain = 'not-registered';
    cleanups.push(() => closeSocket(socket, 0));
    await bindSocket(
      socket,
      { path: 'connections.in.raw.replyer', endpoint: `tcp://127.0.0.1:${port}`, endpoints: [`tcp://127.0.0.1:${port}`] },
      ctx,
    );
    expect((await ask(port, 'hi', clientCurve())).reply).toBeUndefined();
  });

  it('comes back after its socket fails: clients are refused meanwhile, then answered again', async () => {
    const port = await freePort();
    const context = await echoServer(port, serverCurve());
    expect((await ask(port, 'before', clientCurve())).reply).toBe('echo before');
    const failing = zapSocket();
    expect(failing).toBeDefined();
    failing!.close();
    await expect
      .poll(() => context.logs.some((line) => line.level === 'error' && String(line.msg).includes('until it restarts')))
      .toBe(true);
    await expect.poll(async () => (await ask(port, 'after', clientCurve(), 300)).reply, { timeout: 8000, interval: 50 }).toBe('echo after');
    expect(zapSocket()).toBeDefined();
    expect(zapSocket()).not.toBe(failing);
    expect(context.logs.some((line) => line.level === 'warn' && line.msg === 'CURVE authentication (ZAP) handler restarted')).toBe(true);
    // A stranger is still refused by the restarted handler.
    expect((await ask(port, 'stranger', clientCurve(stranger), 300)).reply).toBeUndefined();
  });

  it('a failure on one request refuses that client (500) and keeps serving the others', async () => {
    const port = await freePort();
    const context = await echoServer(port, serverCurve());
    const broken = testContext({ name: 'broken', addresses: { replyer: '127.0.0.1:1' } });
    const throwing = {
      has: () => {
        throw new Error('allow-list lookup broke');
      },
    } as unknown as ReadonlySet<string>;
    const registration = registerZapDomain({ allowed: throwing, logger: broken.logger, address: 'connections.in.broken.replyer' });
    cleanups.push(() => registration.release());
    await registration.ready;
    const brokenPort = await freePort();
    const socket = new Reply({ linger: 0 });
    socket.curveServer = true;
    socket.curveSecretKey = socketSettings(context).curve!.keys.secretKey;
    socket.zapDomain = registration.domain;
    socket.zapEnforceDomain = true;
    cleanups.push(() => closeSocket(socket, 0));
    await socket.bind(`tcp://127.0.0.1:${brokenPort}`);
    expect((await ask(brokenPort, 'hi', clientCurve(), 300)).reply).toBeUndefined();
    const logs = [...broken.logs, ...context.logs];
    expect(logs.some((line) => line.level === 'error' && String(line.msg).includes('failed on one request'))).toBe(true);
    expect((await ask(port, 'still', clientCurve())).reply).toBe('echo still');
  });

  it('logs at most REFUSAL_LINES refusals a minute per socket, however many client keys a peer makes up', async () => {
    const context = testContext({ name: 'flooded', addresses: { replyer: '127.0.0.1:1' } });
    const registration = registerZapDomain({ allowed: new Set(), logger: context.logger, address: 'connections.in.flooded.replyer' });
    cleanups.push(() => registration.release());
    await registration.ready;
    const zap = new Request({ linger: 0, receiveTimeout: 2000 });
    cleanups.push(() => closeSocket(zap, 0));
    zap.connect(ZAP_ENDPOINT);
    for (let i = 0; i < 200; i++) {
      await zap.send(['1.0', String(i), registration.domain, '10.0.0.9', '', 'CURVE', randomBytes(32)]);
      const [, , status] = await zap.receive();
      expect(String(status)).toBe('400');
    }
    expect(context.logs.filter((line) => line.level === 'warn' && String(line.msg).includes('refused a CURVE client'))).toHaveLength(
      REFUSAL_LINES,
    );
  });
});
