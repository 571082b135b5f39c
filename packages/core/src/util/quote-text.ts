/**
 * Peer data quoted in log lines and error messages is cut here, so a peer that sends 50 KB of
 * text gets a bounded line in the log and in its error reply, with the length it sent.
 */

/** Characters of peer text quoted in a log line or an error message, unless the caller asks for fewer. */
export const QUOTE_MAX = 200;

/** `text` cut to `max` characters: `abc… (50000 chars)` when cut, else `text` as it is. */
export function clipText(text: string, max: number = QUOTE_MAX): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}… (${text.length} chars)` : text;
}

/** `text` in quotes, cut to `max` characters: `"abc…" (50000 chars)` when cut, else `"abc"`. */
export function quoteText(text: string, max: number = QUOTE_MAX, quote = '"'): string {
  if (text.length <= max) return `${quote}${text}${quote}`;
  return `${quote}${text.slice(0, Math.max(0, max - 1))}…${quote} (${text.length} chars)`;
}
