/** What stands in for the user and password of a URL in logs and error messages. */
const HIDDEN = '[redacted]';

/**
 * `text` with the credentials of every URL in it (`nats://user:pass@host`, `redis://:pw@host`)
 * replaced by `[redacted]`, so server lists can be logged. Linear: a match starts only at `://`.
 */
export function redactUrlCredentials(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(/:\/\/[^\s/@,?#]*@/g, `://${HIDDEN}@`);
}
