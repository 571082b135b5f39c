import type { Socket } from 'zeromq';

/** A socket that sends: the part of zeromq.js's writable sockets a {@link SendQueue} uses. */
export interface SendingSocket extends Socket {
  /** zeromq.js's `send`. */
  send(message: Uint8Array | Uint8Array[]): Promise<void>;
}

/**
 * Hands messages to one socket in the order asked, without a turn of the event loop when nothing
 * waits. zeromq.js takes a send at once while the socket can write (its promise is then already
 * settled) but refuses a second send while one waits for the socket (EBUSY). So a send goes
 * straight to the socket when every earlier one has settled, and after the last one otherwise.
 */
export class SendQueue {
  #tail: Promise<void> | undefined;
  #unsettled = 0;
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
    const tail = this.#tail;
    let sent: Promise<void>;
    if (tail === undefined) {
      try {
        sent = socket.send(message);
      } catch (error) {
        return Promise.reject(error);
      }
    } else {
      const next = (): Promise<void> => socket.send(message);
      sent = tail.then(next, next);
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

function noop(): void {}
