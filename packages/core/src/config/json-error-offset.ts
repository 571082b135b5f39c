/**
 * Finds where a JSON text stops being valid, for error messages: V8's `JSON.parse` reports a
 * position for some mistakes only ("Unexpected token 'x', ... is not valid JSON" has none).
 */

/** Offset of the first character that makes `text` invalid JSON, or -1 when it is valid. */
export function jsonErrorOffset(text: string): number {
  const scanner = new Scanner(text);
  try {
    scanner.document();
    return -1;
  } catch (stop) {
    if (stop instanceof Stop) return stop.offset;
    throw stop;
  }
}

/** 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

class Stop {
  constructor(readonly offset: number) {}
}

const LITERALS: Record<string, string> = { t: 'true', f: 'false', n: 'null' };
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

class Scanner {
  #at = 0;

  constructor(readonly text: string) {}

  document(): void {
    this.#value();
    this.#space();
    if (this.#at < this.text.length) throw new Stop(this.#at);
  }

  #value(): void {
    this.#space();
    const char = this.#peek();
    if (char === '{') this.#sequence('}', () => this.#member());
    else if (char === '[') this.#sequence(']', () => this.#value());
    else if (char === '"') this.#string();
    else if (char === '-' || isDigit(char)) this.#number();
    else this.#literal(char);
  }

  #literal(char: string | undefined): void {
    const literal = char === undefined ? undefined : LITERALS[char];
    if (literal === undefined) throw this.#stopHere();
    for (const expected of literal) {
      if (this.#peek() !== expected) throw this.#stopHere();
      this.#at++;
    }
  }

  /** `{…}` or `[…]`: the opening character is at the cursor. */
  #sequence(close: string, item: () => void): void {
    this.#at++;
    this.#space();
    if (this.#peek() === close) {
      this.#at++;
      return;
    }
    for (;;) {
      item();
      this.#space();
      const char = this.#peek();
      this.#at++;
      if (char === close) return;
      if (char !== ',') {
        this.#at--;
        throw this.#stopHere();
      }
    }
  }

  #member(): void {
    this.#space();
    if (this.#peek() !== '"') throw this.#stopHere();
    this.#string();
    this.#space();
    if (this.#peek() !== ':') throw this.#stopHere();
    this.#at++;
    this.#value();
  }

  #string(): void {
    this.#at++;
    for (;;) {
      const char = this.#peek();
      if (char === undefined || char < ' ') throw this.#stopHere();
      this.#at++;
      if (char === '"') return;
      if (char !== '\\') continue;
      const escaped = this.#peek();
      if (escaped === 'u') {
        this.#at++;
        for (let i = 0; i < 4; i++) {
          if (!/[0-9a-fA-F]/.test(this.#peek() ?? '')) throw this.#stopHere();
          this.#at++;
        }
      } else if (escaped !== undefined && ESCAPES.has(escaped)) {
        this.#at++;
      } else {
        throw this.#stopHere();
      }
    }
  }

  #number(): void {
    if (this.#peek() === '-') this.#at++;
    if (this.#peek() === '0') this.#at++;
    else this.#digits();
    if (this.#peek() === '.') {
      this.#at++;
      this.#digits();
    }
    if (this.#peek() === 'e' || this.#peek() === 'E') {
      this.#at++;
      if (this.#peek() === '+' || this.#peek() === '-') this.#at++;
      this.#digits();
    }
  }

  #digits(): void {
    if (!isDigit(this.#peek())) throw this.#stopHere();
    while (isDigit(this.#peek())) this.#at++;
  }

  #space(): void {
    while (/[ \t\n\r]/.test(this.#peek() ?? '')) this.#at++;
  }

  #peek(): string | undefined {
    return this.text[this.#at];
  }

  /** A stop at the cursor; at the end of the text, just after its last non-blank character. */
  #stopHere(): Stop {
    return new Stop(this.#at < this.text.length ? this.#at : this.text.trimEnd().length);
  }
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}
