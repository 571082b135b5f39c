import { type SendingSocket, SendQueue } from './send-queue.js';

/** Most frames a {@link BurstSender} holds before it hands them to the socket. */
export const BURST_FRAMES = 64;

/**
 * Frames handed over without a turn of the event loop before a full burst waits for one (as zeromq.js
 * does for its own synchronous sends).
 */
export const FRAMES_PER_TURN = 512;

const QUEUED: Promise<void> = Promise.resolve();

/** Options of a {@link BurstSender}. */
export interface BurstSenderOptions {
  /**
   * Takes a failed send's error and returns true when it dealt with it (e.g. counted a message
   * refused at the high-water mark): such an error never rejects a sender's promise nor reaches `failed`.
   */
  readonly absorbs?: (error: unknown) => boolean;
}

/**
 * Gathers the frames sent within one turn of the event loop (at most {@link BURST_FRAMES}) and
 * hands them to the socket together, at the end of the turn (`setImmediate`) or when the burst is
 * full. One frame handed over at a time wakes ZeroMQ's I/O thread for each and costs a TCP write
 * each; a burst costs one of both, which cuts a fast publisher's CPU per message (figures in
 * BENCHMARKS.md, "publisher bursts"). Backpressure stays: while the socket does not take sends at once, a send goes
 * out behind the burst and its promise is returned, so a sender that awaits waits for the socket.
 */
export class BurstSender {
  readonly #sends = new SendQueue();
  readonly #frames: Uint8Array[] = [];
  readonly #socket: SendingSocket;
  readonly #failed: (error: unknown) => void;
  readonly #absorbs: ((error: unknown) => boolean) | undefined;
  readonly #absorbOrThrow = (error: unknown): void => {
    if (!this.#absorbs?.(error)) throw error;
  };
  #scheduled: NodeJS.Immediate | undefined;
  #sinceTurn = 0;
  readonly #flushLater = (): void => {
    this.#scheduled = undefined;
    this.#sinceTurn = 0;
    this.flush().then(undefined, this.#failed);
  };

  /** `failed` is told of a send that fails after its caller was answered (unless `absorbs` takes the error). */
  constructor(socket: SendingSocket, failed: (error: unknown) => void, options: BurstSenderOptions = {}) {
    this.#socket = socket;
    const absorbs = options.absorbs;
    this.#absorbs = absorbs;
    this.#failed =
      absorbs === undefined
        ? failed
        : (error) => {
            if (!absorbs(error)) failed(error);
          };
  }

  /** Queues `frame`: resolves at once while the socket takes sends at once, else once ZeroMQ took it. */
  send(frame: Uint8Array): Promise<void> {
    this.#frames.push(frame);
    if (!this.#sends.idle) return this.flush();
    if (this.#frames.length >= BURST_FRAMES) return this.#flushYielding();
    this.#scheduled ??= setImmediate(this.#flushLater);
    return QUEUED;
  }

  /**
   * Hands `frame` to the socket now, behind any gathered ones; resolves once ZeroMQ took it (after a
   * turn of the event loop every {@link FRAMES_PER_TURN} frames).
   */
  sendNow(frame: Uint8Array): Promise<void> {
    this.#frames.push(frame);
    return this.#flushYielding();
  }

  /**
   * Flushes; after {@link FRAMES_PER_TURN} frames without a turn of the event loop, resolves only after
   * one, so a sending loop cannot starve timers and I/O.
   */
  #flushYielding(): Promise<void> {
    const sent = this.flush();
    if (this.#sinceTurn < FRAMES_PER_TURN) return sent;
    this.#sinceTurn = 0;
    return sent.then(nextTurn);
  }

  /** Hands every gathered frame to the socket now; resolves once ZeroMQ took the last. */
  flush(): Promise<void> {
    if (this.#scheduled !== undefined) {
      clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
    }
    const frames = this.#frames;
    let last = QUEUED;
    for (let i = 0; i < frames.length; i++) {
      last = this.#sends.send(this.#socket, frames[i]!);
      if (i < frames.length - 1) last.then(undefined, this.#failed);
    }
    this.#sinceTurn += frames.length;
    frames.length = 0;
    // Once per burst, not per frame: only the last frame's promise goes back to a sender.
    return this.#absorbs === undefined || last === QUEUED ? last : last.then(undefined, this.#absorbOrThrow);
  }

  /** Flushes, then resolves (never rejects) once every send so far has settled. */
  settled(): Promise<void> {
    this.flush().then(undefined, this.#failed);
    return this.#sends.settled();
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
