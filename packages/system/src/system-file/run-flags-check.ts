import { SystemError } from '@sf/core';
import type { SystemFile, SystemService } from './system-types.js';

/** The long flags of 0.0.3's argparse (`python -m service_framework`); it takes any unique prefix of one as that flag. */
const PYTHON_LONG_FLAGS = [
  '--addresses_path',
  '--config_path',
  '--service_path',
  '--main_mode',
  '--console_loglevel',
  '--backup_count',
  '--file_loglevel',
  '--log_folder',
  '--help',
];
/** What argparse takes as a number, not as a flag. */
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

/**
 * Refuses, before anything starts, the `extra` pairs and `log` settings a service's command line
 * would reject: a key that is no flag name (empty, a leading `-`, `=` or white space); for a
 * Python 0.0.3 service a key its argparse would read as one of its own flags (`--config` is
 * `--config_path`) or a value it would read as a flag; log file settings without a folder, and
 * for a Python service any but `console_level` (0.0.3's `-l` fails: it never imports
 * logging.handlers). Throws SystemError (`SF_SYSTEM_INVALID`) naming the entry and a fix.
 */
export function checkRunFlags(spec: SystemFile, file: string): void {
  for (const [name, service] of Object.entries(spec.services)) {
    const python = service.python !== undefined && service.python !== false;
    for (const [key, value] of Object.entries(service.extra ?? {})) checkPair(name, key, String(value), python, file);
    checkLog(name, service, python, file);
  }
}

function checkPair(name: string, key: string, value: string, python: boolean, file: string): void {
  const where = `services.${name}.extra.${key}`;
  if (key === '' || key.startsWith('-') || /[=\s]/.test(key)) {
    throw new SystemError(`${where}: '${key}' cannot be a config key on a command line (it is passed as --${key} <value>)`, {
      file,
      hint: "Use a key without a leading '-', '=' or white space, e.g. retry_count",
    });
  }
  if (!python) return;
  const taken = PYTHON_LONG_FLAGS.filter((flag) => flag.startsWith(`--${key}`));
  if (taken.length > 0) {
    throw new SystemError(
      `${where}: Python 0.0.3 reads --${key} as its own flag ${taken.join(' or ')} ` +
        `(argparse takes a prefix of a flag as the flag), not as a config pair`,
      { file, hint: `Rename the key so that no 0.0.3 flag (${PYTHON_LONG_FLAGS.join(', ')}) starts with --<key>` },
    );
  }
  if (value.startsWith('-') && !NEGATIVE_NUMBER.test(value)) {
    throw new SystemError(
      `${where}: Python 0.0.3 reads the value '${value}' as a flag (it starts with '-'), not as the value of --${key}`,
      {
        file,
        hint: "Give a value that does not start with '-', or read it from the service's config file (config)",
      },
    );
  }
}

function checkLog(name: string, service: SystemService, python: boolean, file: string): void {
  const log = service.log;
  if (log === undefined) return;
  const fileOnly = (['file_level', 'backup_count'] as const).filter((key) => log[key] !== undefined);
  if (python) {
    const unsupported = [...(log.folder === undefined ? [] : ['folder' as const]), ...fileOnly];
    if (unsupported.length > 0) {
      throw new SystemError(
        `services.${name}.log: a Python 0.0.3 service cannot log to files (${unsupported.join(', ')}): ` +
          `its -l fails at start, as 0.0.3 never imports logging.handlers`,
        { file, hint: 'Keep log.console_level only; sf up shows and prefixes its console output' },
      );
    }
  } else if (log.folder === undefined && fileOnly.length > 0) {
    throw new SystemError(`services.${name}.log: ${fileOnly.join(' and ')} only apply to log files, which need log.folder`, {
      file,
      hint: `Add "folder": "logs" to services.${name}.log, or remove ${fileOnly.join(' and ')}`,
    });
  }
}
