/** Builds argument paths such as `args.order.price`, `args.items[2]` and `args['odd key']`. */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of key `key` inside the value at `path`. */
export function keyPath(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The path of position `index` inside the list, tuple or set at `path`. */
export function indexPath(path: string, index: number | string): string {
  return `${path}[${index}]`;
}

/** Turns an ajv JSON Pointer (`/order/items/2`) into a suffix of `path` (`.order.items[2]`). */
export function pointerPath(path: string, pointer: string): string {
  if (pointer === '') return path;
  let result = path;
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    result = /^\d+$/.test(part) ? indexPath(result, part) : keyPath(result, part);
  }
  return result;
}

/** The value found by following an ajv JSON Pointer from `value` (undefined when it leads nowhere). */
export function valueAtPointer(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let current = value;
  for (const raw of pointer.slice(1).split('/')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return current;
}
