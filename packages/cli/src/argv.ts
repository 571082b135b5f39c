import { findRunFlag, flagLabel, type RunFlag, type RunFlagName } from './flags.js';
import { UsageError } from './usage-error.js';

/** The arguments of `sf run`, sorted into known flags and config pairs. */
export interface NormalisedRunArgv {
  /** Known flags only, in canonical long form (`--console-level=info`, `--main`), ready for commander. */
  argv: string[];
  /** Every other `--key value`, `-key value` or `--key=value` pair: config values, as strings. */
  extra: Record<string, string>;
}

const SERVICE_FILE = /\.(ts|mts|js|mjs|cjs)$/;

/**
 * Normalises the arguments after `sf run`. Commander cannot read the seed's multi-letter short
 * flags (`-cl`, `-bc`) nor collect arbitrary `-key value` pairs, so this runs first: each known
 * flag (short, long, or snake_case long) becomes its canonical long form, each other pair goes
 * to `extra`. A key without a value, a stray argument, a repeated flag or key, a switch given a
 * value, or a flag missing its value is a {@link UsageError} naming it. `-h`/`--help` anywhere
 * before a lone `--` wins over everything else. After `--` come config pairs only (see {@link pairsAfterSeparator}).
 */
export function normaliseRunArgv(argv: readonly string[]): NormalisedRunArgv {
  const separator = argv.indexOf('--');
  const flags = separator === -1 ? argv : argv.slice(0, separator);
  if (flags.includes('-h') || flags.includes('--help')) return { argv: ['--help'], extra: {} };
  const known: string[] = [];
  const extra = new Map<string, string>();
  const seen = new Set<RunFlagName>();
  for (let i = 0; i < flags.length; i++) {
    const token = flags[i]!;
    if (!looksLikeFlag(token)) throw strayArgument(token, flags[i - 1]);
    const eq = token.indexOf('=');
    const spelling = eq === -1 ? token : token.slice(0, eq);
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    const next = inline === undefined ? flags[i + 1] : undefined;
    const flag = findRunFlag(spelling);
    if (flag) {
      if (seen.has(flag.name)) throw new UsageError(`${flagLabel(flag)} is given twice; give it once`);
      seen.add(flag.name);
      if (!flag.value) {
        if (inline !== undefined) throw new UsageError(`${spelling} is a switch and takes no value; remove '=${inline}'`);
        known.push(`--${flag.name}`);
        continue;
      }
      const value = inline ?? nextValue(next, () => missingFlagValue(spelling, flag, next));
      if (inline === undefined) i++;
      if (value.trim() === '') throw new UsageError(`${spelling} got an empty value; give it ${flag.value}`);
      known.push(`--${flag.name}=${value}`);
      continue;
    }
    const key = spelling.replace(/^--?/, '');
    if (key === '' || key.startsWith('-')) throw strayArgument(token, flags[i - 1]);
    if (extra.has(key)) throw new UsageError(`config argument '${key}' is given twice (as ${spelling}); give it once`);
    const value = inline ?? nextValue(next, () => missingPairValue(spelling, key, next));
    if (inline === undefined) i++;
    extra.set(key, value);
  }
  if (separator !== -1) pairsAfterSeparator(argv.slice(separator + 1), extra);
  // Object.fromEntries defines own properties, so a key like `__proto__` stays a plain key.
  return { argv: known, extra: Object.fromEntries(extra) };
}

/**
 * The pairs after a lone `--`: config only, never flags, so `-- --debug yes` is the config key
 * `debug`; a value may start with '-'. A key without a value or given twice is a {@link UsageError}.
 */
function pairsAfterSeparator(tokens: readonly string[], extra: Map<string, string>): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const eq = token.indexOf('=');
    const spelling = eq === -1 ? token : token.slice(0, eq);
    const key = spelling.replace(/^--?/, '');
    if (!looksLikeFlag(spelling) || key === '' || key.startsWith('-')) {
      throw new UsageError(`unexpected argument '${token}' after --: what follows -- are config pairs (--key value or --key=value)`);
    }
    if (extra.has(key)) throw new UsageError(`config argument '${key}' is given twice (as ${spelling}); give it once`);
    if (eq === -1 && i + 1 >= tokens.length)
      throw new UsageError(`${spelling} after -- has no value: write ${spelling} <value> or --${key}=<value>`);
    extra.set(key, eq === -1 ? tokens[++i]! : token.slice(eq + 1));
  }
}

/** True for `-x`, `--x`, `-key`; false for values, including `-` and negative numbers like `-5`. */
function looksLikeFlag(token: string): boolean {
  return token.startsWith('-') && token !== '-' && !/^-\.?\d/.test(token);
}

function nextValue(next: string | undefined, fail: () => UsageError): string {
  if (next === undefined || looksLikeFlag(next)) throw fail();
  return next;
}

function missingFlagValue(spelling: string, flag: RunFlag, next: string | undefined): UsageError {
  const found = next === undefined ? 'nothing follows it' : `the next argument is the flag ${next}`;
  return new UsageError(
    `${spelling} needs a value ${flag.value} but ${found}; ` +
      `write ${spelling} ${flag.value} (or --${flag.name}=${flag.value} for a value starting with '-')`,
  );
}

function missingPairValue(spelling: string, key: string, next: string | undefined): UsageError {
  const found = next === undefined ? 'nothing follows it' : `the next argument is the flag ${next}`;
  const lookalike = findRunFlag(`--${key.toLowerCase()}`);
  const suggestion = lookalike ? `; did you mean ${flagLabel(lookalike)}?` : '';
  return new UsageError(
    `${spelling} has no value (${found}): extra arguments are config pairs, write ${spelling} <value> or --${key}=<value>${suggestion}`,
  );
}

function strayArgument(token: string, previous: string | undefined): UsageError {
  const switchFlag = previous === undefined ? undefined : findRunFlag(previous);
  if (switchFlag && !switchFlag.value) {
    return new UsageError(`unexpected argument '${token}': ${previous} is a switch and takes no value`);
  }
  if (SERVICE_FILE.test(token)) {
    return new UsageError(`unexpected argument '${token}': give the service file with -s, as in: sf run -s ${token}`);
  }
  return new UsageError(`unexpected argument '${token}': sf run takes only flags, and extra config arguments come in pairs (--key value)`);
}
