/**
 * ZeroMQ context settings, applied once before this package's first socket. They are
 * process-wide: every zeromq.js socket of the process shares the one global context.
 */
import { context } from 'zeromq';

/** libzmq's ZMQ_ZERO_COPY_RECV context option (zeromq.js leaves it unnamed). */
const ZMQ_ZERO_COPY_RECV = 10;

let applied = false;

/**
 * Turns libzmq's zero-copy receiving off. With it on, a received message over 128 bytes is handed
 * to JavaScript inside libzmq's 8 KB read buffer, which stays allocated until V8 collects that
 * message: a subscriber woken per message then gets a fresh read buffer (new pages) per message.
 * Off, libzmq reads into one reused buffer and copies each message out (docs/performance.md, "Fan-out").
 */
export function applyContextOptions(): void {
  if (applied) return;
  applied = true;
  // setBoolOption is zeromq.js's own setter, typed protected because the option has no name there.
  (context as unknown as { setBoolOption(option: number, value: boolean): void }).setBoolOption(ZMQ_ZERO_COPY_RECV, false);
}
