// Test helper: a hand-driven out side (raw sockets) to put a delta_update_in through exact sequences.
import { topicPrefix } from '@sf/core/plugin';
import { freePort } from '@sf/core/testing';
import { Router, XPublisher } from 'zeromq';
import type { StateValue } from './apply-delta.js';
import { encodePublication, encodeSnapshotReply } from './wire.js';

/** An out side whose publications and snapshot answers the test chooses. */
export class FakeOut {
  /** Addresses for the in side: `subscriber` and `requester`. */
  readonly addresses: { subscriber: string; requester: string };
  /** What the replyer answers; `undefined`: it stays silent. */
  snapshot: { state: StateValue; num: number } | undefined = { state: {}, num: 0 };
  /** Snapshot requests received so far. */
  requests = 0;
  readonly #publisher: XPublisher;
  readonly #replyer: Router;
  readonly #prefix: Uint8Array;
  readonly #subscribed: Promise<void>;

  private constructor(publisher: XPublisher, replyer: Router, ports: [number, number], topic: string | undefined) {
    this.#publisher = publisher;
    this.#replyer = replyer;
    this.#prefix = topic === undefined ? new Uint8Array(0) : topicPrefix(topic);
    this.addresses = { subscriber: `127.0.0.1:${ports[0]}`, requester: `127.0.0.1:${ports[1]}` };
    this.#subscribed = (async () => {
      await publisher.receive();
    })();
    void this.#serve();
  }

  /** Binds both sockets on free ports. */
  static async start(topic?: string): Promise<FakeOut> {
    const ports: [number, number] = [await freePort(), await freePort()];
    const publisher = new XPublisher({ linger: 0 });
    const replyer = new Router({ linger: 0 });
    await publisher.bind(`tcp://127.0.0.1:${ports[0]}`);
    await replyer.bind(`tcp://127.0.0.1:${ports[1]}`);
    return new FakeOut(publisher, replyer, ports, topic);
  }

  /** Resolves once a subscriber has subscribed (so nothing published after is lost to a slow join). */
  subscribed(): Promise<void> {
    return this.#subscribed;
  }

  /** Publishes one update numbered `num`. */
  async publish(num: number, state: StateValue, isSnapshot = false, workflowId: string | null = null): Promise<void> {
    await this.#publisher.send(encodePublication({ state, isSnapshot, num, workflowId }, this.#prefix));
  }

  /** Publishes raw bytes (after the topic prefix). */
  async publishRaw(payload: Uint8Array): Promise<void> {
    await this.#publisher.send(Buffer.concat([this.#prefix, payload]));
  }

  /** Closes both sockets. */
  close(): void {
    this.#publisher.close();
    this.#replyer.close();
  }

  async #serve(): Promise<void> {
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await this.#replyer.receive();
      } catch {
        return;
      }
      this.requests += 1;
      const answer = this.snapshot;
      if (answer === undefined) continue;
      await this.#replyer.send([...frames.slice(0, -1), encodeSnapshotReply(answer.state, answer.num, null)]).catch(() => {});
    }
  }
}
