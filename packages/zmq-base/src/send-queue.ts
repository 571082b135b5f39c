import type { Socket } from 'zeromq';
import { noop } from './noop.js';

/** A socket that sends: the part of zeromq.js's writable sockets a {@link SendQueue} uses. */
export interface SendingSocket extends Socket {
  /** zeromq.js's `send`. */
  send(message: Uint8Array | Uint8Array[]): Promise<void>;
}

/**
 * Hands messages to one socket in the order asked, without a turn of the event loop when nothing
 * waits. zeromq.js takes a send at once while the socket can write (its promise is then already
 * settled) but refuses, with EBUSY thrown at once, a second send while one waits for the socket.
 * So a send goes straight to the socket unless sends are queued behind a waiting one, and joins
 * that queue when the socket refuses it while an earlier send may still wait.
 */
export class SendQueue {
  #tail: Promise<void> | undefined;
  #unsettled = 0;
  /** Sends queued behind a waiting one and not yet handed to the socket: while any are, later sends queue too (order). */
  #queued = 0;
  readonly #settled = (): void => {
    this.#unsettled -= 1;
    if (this.#unsettled === 0) this.#tail = undefined;
  };

  /** True when no send waits for the socket: the next one goes straight to it. */
  get idle(): boolean {
    return this.#tail === undefined;
  }

  /** Sends `message` on `socket` after the sends queued before it; resolves once ZeroMQ took it. */
  send(socket: SendingSocket, message: Uint8Array | Uint8Array[]): Promise<void> {
    let sent: Promise<void> | undefined;
    if (this.#queued === 0) {
      try {
        sent = socket.send(message);
      } catch (error) {
        // Nothing earlier may still wait: refused for good. Otherwise it goes in the queue (tried
        // again after the earlier sends), so a later send never overtakes one that waits.
        if (this.#tail === undefined) return Promise.reject(error);
      }
    }
    if (sent === undefined) {
      this.#queued += 1;
      const next = (): Promise<void> => {
        this.#queued -= 1;
        return socket.send(message);
      };
      sent = (this.#tail ?? Promise.resolve()).then(next, next);
    }
    this.#unsettled += 1;
    this.#tail = sent;
    sent.then(this.#settled, this.#settled);
    return sent;
  }

  /** Resolves (never rejects) once every send queued so far has settled. */
  settled(): Promise<void> {
    return this.#tail === undefined ? Promise.resolve() : this.#tail.then(noop, noop);
  }
}
