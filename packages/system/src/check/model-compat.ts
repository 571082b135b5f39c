import { describeNode, type ModelNode, type SpecNode } from '@sf/core';

type MapNode = Extract<SpecNode, { kind: 'map' }>;

/** One way a sender's values may be refused by the receiver's model. */
export interface Mismatch {
  /** Argument path, e.g. `args.order.price`. */
  readonly path: string;
  /** What differs. */
  readonly what: string;
  /** How to make the two agree. */
  readonly fix: string;
}

/**
 * Compares what a sender may send (its model's node) with what a receiver accepts, on the parsed
 * type nodes of `@sf/core`: every value the sender's model allows must pass the receiver's.
 * Returns every mismatch found (required keys the sender may leave out, keys the receiver does
 * not know, types that differ). A new node kind is one more case in {@link compareNodes}.
 */
export function compareModels(sender: SpecNode, receiver: SpecNode): Mismatch[] {
  const found: Mismatch[] = [];
  compareNodes(sender, receiver, receiver.path, found);
  return found;
}

function compareNodes(sent: SpecNode, accepted: SpecNode, path: string, found: Mismatch[]): void {
  if (accepted.kind === 'any') return;
  if (accepted.kind === 'nullable') {
    compareNodes(sent.kind === 'nullable' ? sent.inner : sent, accepted.inner, path, found);
    return;
  }
  if (sent.kind === 'nullable') {
    found.push({
      path,
      what: `the sender may send null, the receiver expects ${describeNode(accepted)}`,
      fix: 'make it nullable(T) on the receiver, or not nullable on the sender',
    });
    return;
  }
  switch (accepted.kind) {
    case 'model':
      if (sent.kind === 'model') {
        compareFields(sent, accepted, path, found);
        return;
      }
      if (sent.kind === 'map') {
        compareMapToFields(sent, accepted, path, found);
        return;
      }
      break;
    case 'scalar':
      if (sent.kind === 'scalar' && sent.name === accepted.name) return;
      if (accepted.name === 'Object' && (sent.kind === 'model' || sent.kind === 'map')) return;
      if (sent.kind === 'literal' && sent.values.every((value) => literalFits(value, accepted.name))) return;
      break;
    case 'literal':
      if (sent.kind === 'literal') {
        const extra = sent.values.filter((value) => !accepted.values.includes(value));
        if (extra.length === 0) return;
        found.push({
          path,
          what:
            `the sender may send ${extra.map((value) => JSON.stringify(value)).join(', ')}, ` +
            `which the receiver (${describeNode(accepted)}) refuses`,
          fix: 'list the same values on both ends',
        });
        return;
      }
      break;
    case 'list':
    case 'set':
      if (sent.kind === accepted.kind) {
        compareNodes(sent.item, accepted.item, `${path}[]`, found);
        return;
      }
      break;
    case 'tuple':
      if (sent.kind === 'tuple' && sent.items.length === accepted.items.length) {
        sent.items.forEach((item, index) => {
          compareNodes(item, accepted.items[index]!, `${path}[${index}]`, found);
        });
        return;
      }
      break;
    case 'map':
      if (sent.kind === 'map') {
        compareNodes(sent.key, accepted.key, `${path}<key>`, found);
        compareNodes(sent.value, accepted.value, `${path}<value>`, found);
        if (accepted.nonEmpty && !sent.nonEmpty)
          found.push({
            path,
            what: 'the receiver requires at least one entry, the sender may send none',
            fix: 'make the map required on the sender (required_…: mapOf(K, V)), or optional on the receiver',
          });
        return;
      }
      if (sent.kind === 'model') {
        compareFieldsToMap(sent, accepted, path, found);
        return;
      }
      break;
    case 'schema':
      if (sent.kind === 'schema' && JSON.stringify(sent.schema) === JSON.stringify(accepted.schema)) return;
      break;
  }
  found.push({
    path,
    what: `the sender sends ${describeNode(sent)}, the receiver expects ${describeNode(accepted)}`,
    fix: 'give it the same type on both ends',
  });
}

function compareFields(sent: ModelNode, accepted: ModelNode, path: string, found: Mismatch[]): void {
  for (const field of accepted.fields) {
    const at = `${path}.${field.name}`;
    const match = sent.fields.find((candidate) => candidate.name === field.name);
    if (match === undefined) {
      if (!field.optional)
        found.push({
          path: at,
          what: `required '${field.name}' (${describeNode(field.node)}) is never sent`,
          fix: `add '${field.name}' to the sender's model, or make it optional on the receiver`,
        });
      continue;
    }
    if (match.optional && !field.optional) {
      found.push({
        path: at,
        what: `required '${field.name}' is optional on the sender, so it may be missing`,
        fix: `make '${field.name}' required on the sender, or optional on the receiver`,
      });
    }
    compareNodes(match.node, field.node, at, found);
  }
  for (const field of sent.fields) {
    if (accepted.fields.some((candidate) => candidate.name === field.name)) continue;
    found.push({
      path: `${path}.${field.name}`,
      what: `'${field.name}' is sent but the receiver does not know it (unknown keys are refused)`,
      fix: `declare '${field.name}' on the receiver, or remove it from the sender's model`,
    });
  }
}

/** Declared keys sent to a map: each name must read as the map's key type, each value fit its value type. */
function compareFieldsToMap(sent: ModelNode, accepted: MapNode, path: string, found: Mismatch[]): void {
  for (const field of sent.fields) {
    const at = `${path}.${field.name}`;
    if (accepted.keyText?.(field.name) === false) {
      found.push({
        path: at,
        what: `'${field.name}' is sent but the receiver's keys are ${describeNode(accepted.key)}, which '${field.name}' is not`,
        fix: `rename '${field.name}' on the sender, or change the receiver's key type`,
      });
    }
    compareNodes(field.node, accepted.value, at, found);
  }
  if (accepted.nonEmpty && sent.fields.every((field) => field.optional)) {
    found.push({
      path,
      what: 'the receiver requires at least one entry, the sender may send none (all its keys are optional)',
      fix: "make a key required on the sender, or the receiver's map optional",
    });
  }
}

/** A map sent to declared keys: only a map over a fixed set of keys (`oneOf(...)`) can fit, as optional keys. */
function compareMapToFields(sent: MapNode, accepted: ModelNode, path: string, found: Mismatch[]): void {
  if (sent.key.kind !== 'literal') {
    const names = accepted.fields.map((field) => `'${field.name}'`).join(', ') || 'none';
    found.push({
      path,
      what: `the sender sends ${describeNode(sent)}, any such key; the receiver declares its keys by name (${names}) and refuses others`,
      fix: 'declare the same mapOf(K, V) on the receiver, or the same keys by name on the sender',
    });
    return;
  }
  const fields = sent.key.values.map((value) => ({ name: String(value), node: sent.value, optional: true }));
  compareFields({ kind: 'model', path: sent.path, fields }, accepted, path, found);
}

function literalFits(value: unknown, scalar: string): boolean {
  return (
    (typeof value === 'string' && scalar === 'String') ||
    (typeof value === 'number' && scalar === 'Number') ||
    (typeof value === 'boolean' && scalar === 'Boolean')
  );
}
