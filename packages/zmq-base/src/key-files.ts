/**
 * CURVE key files, z85 text like zmq's `curve_keygen` output. A key pair file (`NAME.key`, mode
 * 0600) holds `public-key = "…"` and `secret-key = "…"` lines; a public key file (`NAME.pub`)
 * only the first. An allowed-clients file lists public keys, one per line, bare or as
 * `public-key = "…"` lines (so `cat alice.pub bob.pub > allowed_clients` works). Lines starting
 * with `#` are comments. `curve_keygen`'s `== CURVE PUBLIC KEY ==` / `== CURVE SECRET KEY ==`
 * headers, each followed by its key line, are read too.
 */
import { readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, type ErrorLocation } from '@sf/core';
import { curveKeyPair } from 'zeromq';
import { isZ85Key } from './z85.js';

/** A CURVE key pair in z85 text. */
export interface KeyPair {
  /** The public key: give it to peers. */
  readonly publicKey: string;
  /** The secret key: never leaves this side. */
  readonly secretKey: string;
}

/** What one key file holds. */
interface KeyText {
  /** Keys of `public-key` lines, in order. */
  publicKeys: string[];
  secretKey?: string;
  /** Bare key lines, in order. */
  bare: string[];
}

const NAMED = /^(public|secret)[-_]key\s*=\s*"?([^"\s]*)"?$/i;
const HEADER = /^==\s*CURVE (PUBLIC|SECRET) KEY\s*==$/i;

/** Reads `text` (a key file's content); `file` names it in errors, which never quote a key. */
function parseKeyText(text: string, file: string, where: ErrorLocation): KeyText {
  const found: KeyText = { publicKeys: [], bare: [] };
  let header: 'public' | 'secret' | undefined;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const named = NAMED.exec(line);
    const heading = HEADER.exec(line);
    let kind: 'public' | 'secret' | undefined;
    let key = line;
    if (heading) {
      header = heading[1]?.toLowerCase() as 'public' | 'secret';
      continue;
    }
    if (named) {
      kind = named[1]?.toLowerCase() as 'public' | 'secret';
      key = named[2] ?? '';
    } else {
      kind = header;
    }
    header = undefined;
    if (!isZ85Key(key)) {
      throw new ConfigError('SF_CONFIG_INVALID', `Line ${index + 1} of key file ${file} is not a z85 CURVE key (40 characters)`, {
        ...where,
        file,
        hint: 'Write key files with `sf keygen`; each key line is `public-key = "<40 z85 characters>"` or `secret-key = "…"`',
      });
    }
    if (kind === 'public') found.publicKeys.push(key);
    else if (kind === 'secret') found.secretKey = key;
    else found.bare.push(key);
  }
  return found;
}

function readKeyText(file: string, where: ErrorLocation): KeyText {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('SF_FILE_MISSING', `Cannot read key file ${resolve(file)}: ${(error as Error).message}`, {
      ...where,
      file,
      hint: 'Check the path (relative paths start at the folder sf run was started from); `sf keygen` writes key files',
      cause: error,
    });
  }
  return parseKeyText(text, file, where);
}

/** Reads a key pair file (`public-key` and `secret-key` lines). A missing line or file is a ConfigError naming the file. */
export function readKeyPair(file: string, where: ErrorLocation): KeyPair {
  const { publicKeys, secretKey } = readKeyText(file, where);
  const publicKey = publicKeys.length === 1 ? publicKeys[0] : undefined;
  if (publicKey === undefined || secretKey === undefined) {
    const missing = publicKey === undefined ? 'single public-key' : 'secret-key';
    throw new ConfigError('SF_CONFIG_INVALID', `Key file ${file} has no ${missing} line; a key pair file holds one of each`, {
      ...where,
      file,
      hint: 'Give the NAME.key file that `sf keygen` wrote (the .pub file holds only the public key)',
    });
  }
  return { publicKey, secretKey };
}

/** Reads one public key: a `public-key` line or a single bare key line. */
export function readPublicKey(file: string, where: ErrorLocation): string {
  const { publicKeys, bare } = readKeyText(file, where);
  const all = [...publicKeys, ...bare];
  const key = all.length === 1 ? all[0] : undefined;
  if (key === undefined) {
    throw new ConfigError('SF_CONFIG_INVALID', `Key file ${file} holds no single public key`, {
      ...where,
      file,
      hint: "Give the server's NAME.pub file written by `sf keygen`",
    });
  }
  return key;
}

/** Reads an allowed-clients file: every public key in it (a secret key in it is an error: it must not be shared). */
export function readAllowedKeys(file: string, where: ErrorLocation): string[] {
  const { publicKeys, secretKey, bare } = readKeyText(file, where);
  if (secretKey !== undefined) {
    throw new ConfigError('SF_CONFIG_INVALID', `Allowed-clients file ${file} contains a secret key`, {
      ...where,
      file,
      hint: "List the clients' public keys only (their .pub files); keep secret keys out of shared files",
    });
  }
  return [...publicKeys, ...bare];
}

/** The environment variable that, set to `1`, lets a key pair file any user may read through with a warning. */
export const ALLOW_READABLE_KEYS_ENV = 'SF_ALLOW_READABLE_KEYS';

/**
 * Refuses a key pair file that every user of the machine may read (mode `o+r`, e.g. 0644): its
 * secret key is not secret. A ConfigError SF_KEY_FILE_READABLE, unless `SF_ALLOW_READABLE_KEYS=1`.
 * Returns whether group or others may read it (the caller warns then; a key file should be 0600).
 * Not checked on Windows (no such modes).
 */
export function checkKeyFileMode(file: string, where: ErrorLocation, env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform === 'win32') return false;
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return false; // readKeyPair reports a missing file
  }
  const loose = (mode & 0o077) !== 0;
  if ((mode & 0o004) === 0 || env[ALLOW_READABLE_KEYS_ENV] === '1') return loose;
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  throw new ConfigError('SF_KEY_FILE_READABLE', `CURVE key file ${file} can be read by every user of this machine (mode ${octal})`, {
    ...where,
    file,
    hint:
      `chmod 600 ${file} (sf keygen writes it so); ` +
      `where no other user can reach it (a container's mounted secret), set ${ALLOW_READABLE_KEYS_ENV}=1 to start anyway with a warning`,
  });
}

/** The files {@link writeKeyPair} wrote. */
export interface WrittenKeyPair {
  /** `DIR/NAME.pub`: the public key, world-readable. */
  readonly publicFile: string;
  /** `DIR/NAME.key`: public and secret key, mode 0600. */
  readonly secretFile: string;
  /** The new public key (z85). */
  readonly publicKey: string;
}

/**
 * Makes a new key pair with zeromq's `curveKeyPair()` and writes `DIR/NAME.key` (both keys,
 * mode 0600) and `DIR/NAME.pub` (the public key, mode 0644), creating DIR. Never overwrites
 * unless `replace` (a key rotation): an existing file rejects with its `EEXIST` error and nothing
 * is written. With `replace`, each file is written aside and renamed over the old one, so a
 * reader sees the old key or the new one, never half a file.
 */
export async function writeKeyPair(dir: string, name: string, options: { replace?: boolean } = {}): Promise<WrittenKeyPair> {
  const { publicKey, secretKey } = curveKeyPair();
  const secretFile = join(dir, `${name}.key`);
  const publicFile = join(dir, `${name}.pub`);
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString();
  const secretText =
    `# CURVE key pair (z85) written by sf on ${stamp}. Keep this file secret.\n` +
    `public-key = "${publicKey}"\nsecret-key = "${secretKey}"\n`;
  const publicText = `# CURVE public key (z85) written by sf on ${stamp}. Give it to peers.\npublic-key = "${publicKey}"\n`;
  if (options.replace === true) {
    await replaceFile(secretFile, secretText, 0o600);
    await replaceFile(publicFile, publicText, 0o644);
    return { publicFile, secretFile, publicKey };
  }
  await writeFile(secretFile, secretText, { mode: 0o600, flag: 'wx' });
  try {
    await writeFile(publicFile, publicText, { mode: 0o644, flag: 'wx' });
  } catch (error) {
    await rm(secretFile, { force: true });
    throw error;
  }
  // The mode given to writeFile is masked by the umask: set both exactly.
  await chmod(secretFile, 0o600);
  await chmod(publicFile, 0o644);
  return { publicFile, secretFile, publicKey };
}

async function replaceFile(file: string, text: string, mode: number): Promise<void> {
  const aside = `${file}.${process.pid}.new`;
  await writeFile(aside, text, { mode, flag: 'w' });
  await chmod(aside, mode);
  await rename(aside, file);
}
