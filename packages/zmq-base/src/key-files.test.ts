import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { curveKeyPair } from 'zeromq';
import { readAllowedKeys, readKeyPair, readPublicKey, writeKeyPair } from './key-files.js';
import { isZ85Key, keyId, z85Decode, z85Encode } from './z85.js';

const dir = mkdtempSync(join(tmpdir(), 'sf-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const where = { service: 'svc.ts', model: 'connection_models.in.x', argument: 'optional_creation_arguments.curve.key_file' };

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('z85', () => {
  it('round-trips zeromq keys and the RFC 32 example', () => {
    const { publicKey, secretKey } = curveKeyPair();
    for (const key of [publicKey, secretKey]) {
      const bytes = z85Decode(key);
      expect(bytes?.length).toBe(32);
      expect(z85Encode(bytes ?? new Uint8Array())).toBe(key);
      expect(isZ85Key(key)).toBe(true);
    }
    expect(z85Encode(Uint8Array.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]))).toBe('HelloWorld');
    expect(isZ85Key('HelloWorld')).toBe(false);
    expect(isZ85Key(`${publicKey.slice(0, 39)} `)).toBe(false);
    expect(keyId(publicKey)).toBe(`${publicKey.slice(0, 8)}…`);
  });
});

describe('key files', () => {
  it('writeKeyPair writes NAME.key (both keys, 0600) and NAME.pub (public key, 0644) that read back', async () => {
    const written = await writeKeyPair(join(dir, 'out'), 'server');
    expect(statSync(written.secretFile).mode & 0o777).toBe(0o600);
    expect(statSync(written.publicFile).mode & 0o777).toBe(0o644);
    const pair = readKeyPair(written.secretFile, where);
    expect(pair.publicKey).toBe(written.publicKey);
    expect(z85Decode(pair.secretKey)?.length).toBe(32);
    expect(readPublicKey(written.publicFile, where)).toBe(written.publicKey);
    expect(readFileSync(written.publicFile, 'utf8')).not.toContain(pair.secretKey);
    expect(statSync(written.secretFile).mode & 0o077).toBe(0);
    expect(statSync(written.publicFile).mode & 0o077).not.toBe(0);
  });

  it('writeKeyPair never overwrites an existing key', async () => {
    const first = await writeKeyPair(join(dir, 'twice'), 'k');
    await expect(writeKeyPair(join(dir, 'twice'), 'k')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readKeyPair(first.secretFile, where).publicKey).toBe(first.publicKey);
  });

  it("reads curve_keygen's output and bare or named public key lines", () => {
    const { publicKey, secretKey } = curveKeyPair();
    const keygen = file('keygen.txt', `== CURVE PUBLIC KEY ==\n${publicKey}\n== CURVE SECRET KEY ==\n${secretKey}\n`);
    expect(readKeyPair(keygen, where)).toEqual({ publicKey, secretKey });
    expect(readPublicKey(file('bare.pub', `# comment\n${publicKey}\n`), where)).toBe(publicKey);
  });

  it('reads an allowed-clients file made of .pub files and bare keys, and refuses one holding a secret key', () => {
    const [a, b, c] = [curveKeyPair(), curveKeyPair(), curveKeyPair()];
    const allowed = file('allowed', `# clients\npublic-key = "${a.publicKey}"\n\npublic_key = ${b.publicKey}\n${c.publicKey}\n`);
    expect(readAllowedKeys(allowed, where).sort()).toEqual([a.publicKey, b.publicKey, c.publicKey].sort());
    const leaked = file('leaked', `public-key = "${a.publicKey}"\nsecret-key = "${a.secretKey}"\n`);
    expect(() => readAllowedKeys(leaked, where)).toThrow(
      expect.objectContaining({ code: 'SF_CONFIG_INVALID', message: expect.stringContaining('contains a secret key') }),
    );
  });

  it('names the file and line of a bad key without quoting it, and the missing line of a key pair', () => {
    const { publicKey, secretKey } = curveKeyPair();
    const bad = file('bad.key', `public-key = "${publicKey}"\nsecret-key = "${secretKey.slice(0, 30)}"\n`);
    const error = (() => {
      try {
        readKeyPair(bad, where);
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toMatchObject({ code: 'SF_CONFIG_INVALID', message: expect.stringContaining('Line 2 of key file') });
    expect(error?.message).not.toContain(secretKey.slice(0, 30));
    expect(error?.message).toContain('optional_creation_arguments.curve.key_file');
    const publicOnly = file('only.pub', `public-key = "${publicKey}"\n`);
    expect(() => readKeyPair(publicOnly, where)).toThrow(
      expect.objectContaining({ code: 'SF_CONFIG_INVALID', message: expect.stringContaining('no secret-key line') }),
    );
    expect(() => readKeyPair(join(dir, 'absent.key'), where)).toThrow(expect.objectContaining({ code: 'SF_FILE_MISSING' }));
  });
});
