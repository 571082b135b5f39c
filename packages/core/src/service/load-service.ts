import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { createJiti } from 'jiti';
import { ServiceLoadError, SfError } from '../errors.js';
import { describeValue, isPlainObject } from '../util/describe-value.js';
import { nearest } from '../util/nearest.js';

/** The service exports that must be functions. */
const FUNCTION_EXPORTS = ['main', 'setup_config', 'setup_addresses', 'setup_connections', 'setup_states', 'sigint_handler'] as const;

/** The names a service module exports, spelled as in the seed. */
export const SERVICE_EXPORT_NAMES = ['connection_models', 'state_models', 'config_model', ...FUNCTION_EXPORTS] as const;

/** One of {@link SERVICE_EXPORT_NAMES}. */
export type ServiceExportName = (typeof SERVICE_EXPORT_NAMES)[number];

/** File extensions a service module may have. */
export const SERVICE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'] as const;

/** A loaded service module. */
export interface LoadedServiceModule {
  /** Absolute path of the service file. */
  file: string;
  /** The service names the module exports (default export and named exports merged). */
  exports: Partial<Record<ServiceExportName, unknown>>;
}

const FUNCTION_NAMES: ReadonlySet<string> = new Set<ServiceExportName>(FUNCTION_EXPORTS);
const SERVICE_HINT = `Export default defineService({...}) or named exports: ${SERVICE_EXPORT_NAMES.join(', ')}`;

/**
 * Loads a service module (`.ts` and `.mts` through jiti, without a build step; JavaScript through
 * `import()`) and collects its service names. The default export (the `defineService` object) and
 * named exports are merged; a name given by both with different values is an error, as is an
 * export whose name looks like a misspelt service name (`conection_models`, `setup_configs`).
 */
export async function loadServiceModule(path: string, cwd: string = process.cwd()): Promise<LoadedServiceModule> {
  const file = resolve(cwd, path);
  await assertLoadable(file, path, cwd);
  const namespace = await importModule(file);
  return { file, exports: collectServiceExports(namespace, file) };
}

async function assertLoadable(file: string, given: string, cwd: string): Promise<void> {
  const from = given === file ? '' : ` ('${given}' resolved from ${cwd})`;
  const stats = await stat(file).catch(() => undefined);
  if (stats === undefined) {
    throw new ServiceLoadError(`The service file does not exist${from}`, {
      service: file,
      hint: 'Pass the path of the service module with -s',
    });
  }
  if (!stats.isFile()) {
    throw new ServiceLoadError(`The service path is a directory, not a file${from}`, {
      service: file,
      hint: 'Pass the module itself, e.g. -s ./service.ts',
    });
  }
  if (!(SERVICE_EXTENSIONS as readonly string[]).includes(extname(file))) {
    throw new ServiceLoadError(`The service file has extension '${extname(file)}', which cannot be loaded`, {
      service: file,
      hint: `Use one of ${SERVICE_EXTENSIONS.join(', ')}`,
    });
  }
}

let jiti: ReturnType<typeof createJiti> | undefined;

async function importModule(file: string): Promise<Record<string, unknown>> {
  try {
    if (file.endsWith('.ts') || file.endsWith('.mts')) {
      // Loaded only for TypeScript: a JavaScript service is imported natively.
      jiti ??= (await import('jiti')).createJiti(import.meta.url);
      return await jiti.import<Record<string, unknown>>(file);
    }
    return await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SfError) throw error;
    throw loadFailure(file, error);
  }
}

function loadFailure(file: string, error: unknown): ServiceLoadError {
  const err = error as NodeJS.ErrnoException | undefined;
  const message = err?.message ?? String(error);
  const notFound = err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND';
  const syntax = err?.name === 'SyntaxError' || message.startsWith('ParseError');
  const reason = notFound ? message.split('\n')[0]! : message.replace(/\s*\n\s*/g, ' ').trim();
  const hint = notFound
    ? "Install the missing package in the service's project, or fix the import path"
    : syntax
      ? 'Fix the syntax error in the service file (see the position above)'
      : 'The module threw while it was being evaluated; fix that error (run with --debug for the stack trace)';
  return new ServiceLoadError(`The service file could not be loaded: ${reason}`, { service: file, hint, cause: error });
}

/** The service names from a module namespace, checked; see {@link loadServiceModule}. */
export function collectServiceExports(namespace: Record<string, unknown>, file: string): LoadedServiceModule['exports'] {
  const fromDefault = namespace.default;
  if (fromDefault !== undefined && !isPlainObject(fromDefault)) {
    throw new ServiceLoadError(`The service file's default export is ${describeValue(fromDefault)}, not a service object`, {
      service: file,
      hint: 'Default-export the object returned by defineService({...}), or use named exports only',
    });
  }
  const defaults = fromDefault ?? {};
  const named = Object.fromEntries(Object.entries(namespace).filter(([key]) => key !== 'default'));
  assertNoMisspelling([...Object.keys(defaults), ...Object.keys(named)], file);

  const exports: LoadedServiceModule['exports'] = {};
  for (const name of SERVICE_EXPORT_NAMES) {
    const a = defaults[name];
    const b = named[name];
    if (a !== undefined && b !== undefined && a !== b) {
      throw new ServiceLoadError(`'${name}' is exported both in the default export and as a named export, with different values`, {
        service: file,
        hint: `Keep one '${name}'`,
      });
    }
    const value = a ?? b;
    if (value === undefined) continue;
    assertExportKind(name, value, file);
    exports[name] = value;
  }
  if (Object.keys(exports).length === 0) {
    const found = Object.keys(named).length > 0 ? `it exports ${Object.keys(named).join(', ')}` : 'it exports nothing';
    throw new ServiceLoadError(`The service file exports none of the service names (${found})`, { service: file, hint: SERVICE_HINT });
  }
  return exports;
}

function assertExportKind(name: ServiceExportName, value: unknown, file: string): void {
  const isFunction = FUNCTION_NAMES.has(name);
  const ok = isFunction ? typeof value === 'function' : typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!ok) {
    throw new ServiceLoadError(`The service's '${name}' is ${describeValue(value)}; expected ${isFunction ? 'a function' : 'an object'}`, {
      service: file,
      hint: isFunction
        ? `Export '${name}' as a function`
        : `Write '${name}' as ${name === 'config_model' ? '{ required?: {...}, optional?: {...} }' : '{ in?: {...}, out?: {...} }'}`,
    });
  }
}

/** Export names that are not service names but look like one (case, '_' or a typo away) are errors. */
function assertNoMisspelling(keys: readonly string[], file: string): void {
  const names: readonly string[] = SERVICE_EXPORT_NAMES;
  const squash = (text: string) => text.toLowerCase().replace(/[_-]/g, '');
  const typos: string[] = [];
  for (const key of new Set(keys)) {
    if (names.includes(key)) continue;
    const guess = names.find((name) => squash(name) === squash(key)) ?? nearest(key, names);
    if (guess !== undefined) typos.push(`'${key}' (did you mean '${guess}'?)`);
  }
  if (typos.length > 0) {
    throw new ServiceLoadError(
      `The service file exports ${typos.join(', ')}, which ${typos.length > 1 ? 'are not service names' : 'is not a service name'}`,
      {
        service: file,
        hint: `Rename it; service names are ${names.join(', ')}`,
      },
    );
  }
}
