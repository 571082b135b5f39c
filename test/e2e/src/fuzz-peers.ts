import { readFileSync } from 'node:fs';
import { encodeReply } from '@sf/core';
import { Dealer, Router, XPublisher } from 'zeromq';

/**
 * A Dealer that pipelines requests to a replyer (each sent as `[empty delimiter, body]`, as a REQ
 * peer would) with at most `window` unanswered, and keeps the reply bodies in arrival order — which
 * is request order, since a replyer answers one peer's requests in turn.
 */
export class PipelinedRequester {
  /** Reply bodies, in order. */
  readonly replies: Uint8Array[] = [];
  #sent = 0;
  readonly #socket = new Dealer({ linger: 0 });
  readonly #window: number;
  #wake: (() => void) | undefined;
  readonly #reading: Promise<void>;

  /** Connects to `tcp://127.0.0.1:<port>`. */
  constructor(port: number, window = 200) {
    this.#window = window;
    this.#socket.connect(`tcp://127.0.0.1:${port}`);
    this.#reading = this.#read();
  }

  /** How many requests were sent. */
  get sent(): number {
    return this.#sent;
  }

  /** Sends one request body, first waiting while `window` requests are unanswered. */
  async send(body: Uint8Array): Promise<void> {
    while (this.#sent - this.replies.length >= this.#window) await new Promise<void>((resolve) => (this.#wake = resolve));
    this.#sent += 1;
    await this.#socket.send([Buffer.alloc(0), body]);
  }

  /** Resolves once every request sent has its reply; rejects after `timeoutMs`. */
  async drained(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < this.#sent) {
      if (Date.now() > deadline)
        throw new Error(`${this.#sent - this.replies.length} of ${this.#sent} requests unanswered after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Closes the socket. */
  async close(): Promise<void> {
    if (!this.#socket.closed) this.#socket.close();
    await this.#reading;
  }

  async #read(): Promise<void> {
    try {
      for await (const frames of this.#socket) {
        this.replies.push(frames.at(-1)!);
        this.#wake?.();
        this.#wake = undefined;
      }
    } catch (error) {
      if (!this.#socket.closed) throw error;
    }
  }
}

/** An XPUB that binds, tells when a subscriber has subscribed, and blocks instead of dropping when subscribers lag. */
export class FramePublisher {
  readonly #socket = new XPublisher({ linger: 0, noDrop: true });

  /** Binds `tcp://127.0.0.1:<port>`. */
  async bind(port: number): Promise<void> {
    await this.#socket.bind(`tcp://127.0.0.1:${port}`);
  }

  /** Resolves once a subscription (any prefix) arrives; rejects after `timeoutMs`. */
  async subscribed(timeoutMs = 15_000): Promise<void> {
    this.#socket.receiveTimeout = timeoutMs;
    const [message] = await this.#socket.receive();
    if (message?.[0] !== 1) throw new Error('expected a subscription message');
  }

  /** Sends one message (one frame, or several as a multi-part message); waits while the subscriber's queue is full. */
  async send(frames: Uint8Array | Uint8Array[]): Promise<void> {
    // With noDrop a full queue makes send fail with EAGAIN (an XPUB does not signal when it has room again): retry.
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      try {
        await this.#socket.send(frames);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== 'EAGAIN') throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** Closes the socket. */
  close(): void {
    if (!this.#socket.closed) this.#socket.close();
  }
}

/** The out side of a delta state, as far as snapshots go: a Router answering each request with `{state, current_num}`. */
export class SnapshotResponder {
  /** The state and number the next answers carry. */
  current: { state: Record<string, unknown>; num: number } = { state: {}, num: 0 };
  /** How many snapshot requests were answered. */
  answered = 0;
  readonly #socket = new Router({ linger: 0 });

  /** Binds `tcp://127.0.0.1:<port>` and starts answering. */
  async bind(port: number): Promise<void> {
    await this.#socket.bind(`tcp://127.0.0.1:${port}`);
    void this.#serve();
  }

  /** Closes the socket. */
  close(): void {
    if (!this.#socket.closed) this.#socket.close();
  }

  async #serve(): Promise<void> {
    try {
      for await (const [identity, delimiter] of this.#socket) {
        const reply = encodeReply({ return_args: { state: this.current.state, current_num: this.current.num }, workflow_id: null });
        await this.#socket.send([identity!, delimiter!, reply]);
        this.answered += 1;
      }
    } catch (error) {
      if (!this.#socket.closed) throw error;
    }
  }
}

/** The resident set size of process `pid` in kB, from /proc/<pid>/status (Linux). */
export function rssKb(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}
