import { type ErrorLocation, UnknownTypeError } from '../errors.js';
import type { Kind } from '../plugin/contract.js';
import { nearest } from '../util/nearest.js';
import { FIRST_PARTY_TYPES } from './first-party.js';
import { installCommand } from './install-command.js';

/** Where a type name was asked for, for error messages. */
export interface TypeLookup extends ErrorLocation {
  /** `connection` or `state`: names the model key (`connection_type` / `state_type`) and narrows the list of known types. */
  kind?: Kind;
}

/** Registered names (type names and aliases) with their kind, for building the error. */
export interface KnownName {
  /** Type name or alias. */
  name: string;
  /** Its kind. */
  kind: Kind;
}

/**
 * The error for a type name no registered plugin provides: lists the known types, suggests a
 * near name, and for a first-party type names the package to install.
 */
export function unknownTypeError(typeName: string, known: readonly KnownName[], where: TypeLookup = {}): UnknownTypeError {
  const { kind, ...location } = where;
  const field = kind === undefined ? 'type' : `${kind}_type`;
  const names = known
    .filter((entry) => kind === undefined || entry.kind === kind)
    .map((entry) => entry.name)
    .sort();
  const label = kind === undefined ? 'types' : `${kind} types`;
  const sentences = [names.length > 0 ? `Known ${label}: ${names.join(', ')}` : `No ${label} are registered`];

  const elsewhere = known.find((entry) => entry.name === typeName);
  if (elsewhere !== undefined) {
    sentences.push(`'${typeName}' is a ${elsewhere.kind} type: declare it under ${elsewhere.kind}_models with ${elsewhere.kind}_type`);
    return new UnknownTypeError(`Unknown ${field} '${typeName}'`, names, { ...location, hint: asHint(sentences) });
  }
  // An exact first-party name means its package is missing: say so, whatever registered name is near.
  const exact = typeName in FIRST_PARTY_TYPES;
  const close = exact ? undefined : nearest(typeName, names);
  const firstPartyName = exact ? typeName : close === undefined ? nearest(typeName, Object.keys(FIRST_PARTY_TYPES)) : undefined;
  if (close !== undefined) {
    sentences.push(`Did you mean '${close}'?`);
  } else if (firstPartyName !== undefined) {
    const pkg = FIRST_PARTY_TYPES[firstPartyName]!;
    const prefix = firstPartyName === typeName ? '' : `Did you mean '${firstPartyName}'? `;
    sentences.push(
      `${prefix}'${firstPartyName}' is provided by ${pkg}: run \`${installCommand(pkg, location.service)}\` in the service's project`,
    );
  } else {
    sentences.push(
      `Install the package that provides '${typeName}' in the service's project (it is found through its package.json), ` +
        `or register its plugin with registry.register(plugin)`,
    );
  }
  return new UnknownTypeError(`Unknown ${field} '${typeName}'`, names, { ...location, hint: asHint(sentences) });
}

/** Sentences joined into one hint, each ending in one stop (`Did you mean 'x'?` keeps its `?`). */
function asHint(sentences: readonly string[]): string {
  return sentences.map((sentence) => (/[.?!]$/.test(sentence) ? sentence : `${sentence}.`)).join(' ');
}
