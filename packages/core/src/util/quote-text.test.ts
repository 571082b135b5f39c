import { describe, expect, it } from 'vitest';
import { clipText, QUOTE_MAX, quoteText } from './quote-text.js';

describe('quoteText and clipText', () => {
  it('leave short text whole', () => {
    expect(quoteText('abc')).toBe('"abc"');
    expect(quoteText('abc', 10, "'")).toBe("'abc'");
    expect(clipText('abc')).toBe('abc');
  });

  it('cut long text to the limit and say how long it was', () => {
    const long = `${'1'.repeat(50_000)}x`;
    const quoted = quoteText(long);
    expect(quoted).toBe(`"${'1'.repeat(QUOTE_MAX - 1)}…" (50001 chars)`);
    expect(clipText(long, 5)).toBe('1111… (50001 chars)');
    expect(quoteText(long, 5, "'")).toBe("'1111…' (50001 chars)");
  });
});
