import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../program.js';
import type { CliIo } from '../types.js';
import { UsageError } from '../usage-error.js';
import { parseKeygenArgs } from './keygen.js';

const dir = mkdtempSync(join(tmpdir(), 'sf-keygen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    cwd: dir,
    stdout: (text: string) => {
      captured.out += text;
    },
    stderr: (text: string) => {
      captured.err += text;
    },
  };
  return captured;
}

describe('sf keygen', () => {
  it('writes NAME.key (mode 600, both keys) and NAME.pub (mode 644, public key only) under --out', async () => {
    const out = io();
    expect(await main(['keygen', '--out', 'keys', '--name', 'pricer'], out)).toBe(0);
    const secretFile = join(dir, 'keys', 'pricer.key');
    const publicFile = join(dir, 'keys', 'pricer.pub');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(statSync(publicFile).mode & 0o777).toBe(0o644);
    const secretText = readFileSync(secretFile, 'utf8');
    const publicText = readFileSync(publicFile, 'utf8');
    const publicKey = /public-key = "(.{40})"/.exec(secretText)?.[1];
    const secretKey = /secret-key = "(.{40})"/.exec(secretText)?.[1];
    expect(publicKey).toBeDefined();
    expect(secretKey).toBeDefined();
    expect(publicText).toContain(`public-key = "${publicKey}"`);
    expect(publicText).not.toContain(secretKey);
    expect(out.out).toContain(secretFile);
    expect(out.out).toContain(`public key: ${publicKey}`);
    expect(out.out).not.toContain(secretKey);
    expect(out.err).toBe('');
  });

  it('defaults to ./curve.key and ./curve.pub, -o as the short form, and never overwrites', async () => {
    expect(await main(['keygen'], io())).toBe(0);
    const before = readFileSync(join(dir, 'curve.key'), 'utf8');
    const again = io();
    expect(await main(['keygen', '-o', '.'], again)).toBe(1);
    expect(again.err).toMatch(/^sf: .*curve\.key already exists; keys are never overwritten/);
    expect(readFileSync(join(dir, 'curve.key'), 'utf8')).toBe(before);
  });

  it('refuses a name that is not a plain file name, and stray arguments, as usage errors (exit 2)', async () => {
    expect(() => parseKeygenArgs(['--name', '../x'], dir)).toThrow(UsageError);
    expect(() => parseKeygenArgs(['--name', '.hidden'], dir)).toThrow(UsageError);
    expect(() => parseKeygenArgs(['extra'], dir)).toThrow(/too many arguments/);
    const bad = io();
    expect(await main(['keygen', '--bogus'], bad)).toBe(2);
    expect(bad.err).toContain("Run 'sf keygen --help'");
  });

  it('sf keygen --help and sf --help describe it', async () => {
    const help = io();
    expect(await main(['keygen', '--help'], help)).toBe(0);
    expect(help.out).toContain('--out <dir>');
    expect(help.out).toContain('--name <name>');
    expect(help.out).toContain('NAME.pub');
    const root = io();
    expect(await main(['--help'], root)).toBe(0);
    expect(root.out).toContain('keygen');
  });
});
