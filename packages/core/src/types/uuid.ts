import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID value (the seed's `uuid.UUID`); travels as `{"__uuid__": true, "as_str": "..."}`. */
export class UUID {
  /** Canonical lower-case string form. */
  readonly value: string;

  constructor(value: string) {
    if (!UUID_PATTERN.test(value)) {
      throw new ValidationError('Not a UUID', {
        expected: 'a UUID string like 123e4567-e89b-12d3-a456-426614174000',
        received: JSON.stringify(value),
      });
    }
    this.value = value.toLowerCase();
  }

  /** A new random (version 4) UUID. */
  static random(): UUID {
    return new UUID(randomUUID());
  }

  /** Whether `other` is the same UUID. */
  equals(other: unknown): boolean {
    return other instanceof UUID && other.value === this.value;
  }

  /** The canonical string. */
  toString(): string {
    return this.value;
  }

  /** Serialises as its string in JSON. */
  toJSON(): string {
    return this.value;
  }
}
