import { Request, XPublisher, XSubscriber } from 'zeromq';

/** A plain ZeroMQ REQ peer, as a service written with any other framework would be. */
export class RawRequester {
  readonly #socket: Request;

  /** Connects to `tcp://127.0.0.1:<port>`; a reply not received within `timeoutMs` rejects. */
  constructor(port: number, timeoutMs = 5000) {
    this.#socket = new Request({ receiveTimeout: timeoutMs, linger: 0 });
    this.#socket.connect(`tcp://127.0.0.1:${port}`);
  }

  /** Sends one frame and resolves to the one-frame reply. */
  async request(frame: Uint8Array): Promise<Uint8Array> {
    await this.#socket.send(frame);
    const [reply] = await this.#socket.receive();
    if (reply === undefined) throw new Error('empty reply');
    return reply;
  }

  /** Closes the socket. */
  close(): void {
    if (!this.#socket.closed) this.#socket.close();
  }
}

/**
 * A ZeroMQ XSUB/XPUB forwarder: publishers with `is_x_pub` connect to `frontPort`, subscribers
 * connect to `backPort`. Subscriptions flow back from the subscribers to the publishers.
 */
export class RawProxy {
  readonly #front = new XSubscriber({ linger: 0 });
  readonly #back = new XPublisher({ linger: 0 });

  /** Binds both sides on 127.0.0.1 and starts forwarding. */
  async open(frontPort: number, backPort: number): Promise<void> {
    await this.#front.bind(`tcp://127.0.0.1:${frontPort}`);
    await this.#back.bind(`tcp://127.0.0.1:${backPort}`);
    void forward(this.#front, this.#back);
    void forward(this.#back, this.#front);
  }

  /** Stops forwarding and closes both sockets. */
  close(): void {
    for (const socket of [this.#front, this.#back]) if (!socket.closed) socket.close();
  }
}

async function forward(from: XSubscriber | XPublisher, to: XSubscriber | XPublisher): Promise<void> {
  try {
    for await (const frames of from) await to.send(frames);
  } catch (error) {
    // Closing the proxy ends the loops; anything else is a real failure of the test set-up.
    if (!from.closed && !to.closed) throw error;
  }
}

/** The MessagePack encoding of a short string (fixstr, under 32 bytes): what the seed puts before a topic's payload. */
export function msgpackFixstr(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > 31) throw new Error('msgpackFixstr only encodes strings under 32 bytes');
  return Buffer.concat([Buffer.from([0xa0 | bytes.length]), bytes]);
}
