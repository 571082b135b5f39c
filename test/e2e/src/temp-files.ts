import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One side of an addresses file: `{ model_name: { socket_name: address } }`. */
export type AddressSide = Record<string, Record<string, string>>;

/** The seed's addresses file shape. */
export interface AddressesFile {
  /** Connection addresses by side. */
  connections?: { in?: AddressSide; out?: AddressSide };
  /** State addresses by side. */
  states?: { in?: AddressSide; out?: AddressSide };
}

/** A temporary folder for a test file's addresses, config and output files. */
export class TempFiles {
  #dir: string | undefined;
  #count = 0;

  /** The folder, created on first use. */
  async dir(): Promise<string> {
    this.#dir ??= await mkdtemp(join(tmpdir(), 'sf-e2e-'));
    return this.#dir;
  }

  /** A new path in the folder (nothing written), e.g. for a fixture's `--out` file or a log folder. */
  async path(name: string): Promise<string> {
    this.#count += 1;
    return join(await this.dir(), `${this.#count}-${name}`);
  }

  /** Writes `value` as JSON to a new file and returns its path. */
  async json(name: string, value: unknown): Promise<string> {
    const file = await this.path(name);
    await writeFile(file, JSON.stringify(value, null, 2));
    return file;
  }

  /** Writes an addresses file and returns its path. */
  addresses(value: AddressesFile): Promise<string> {
    return this.json('addresses.json', value);
  }

  /** Deletes the folder and everything in it. */
  async remove(): Promise<void> {
    if (this.#dir !== undefined) await rm(this.#dir, { recursive: true, force: true });
    this.#dir = undefined;
  }
}

/** `127.0.0.1:<port>`, the seed's `host:port` address form. */
export function loopback(port: number): string {
  return `127.0.0.1:${port}`;
}
