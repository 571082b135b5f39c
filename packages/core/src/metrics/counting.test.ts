import { describe, expect, it } from 'vitest';
import { RequestTimeoutError } from '../errors.js';
import { Outbound } from '../runner/outputs.js';
import { countingEndpoint } from './counting.js';
import { EndpointStats } from './endpoint-stats.js';

const stats = () => new EndpointStats({ model: 'connection_models.out.ask', type: 'requester', side: 'out', kind: 'connection' });
const endpoint = (send: () => Promise<Uint8Array>) => ({ open: async () => {}, close: async () => {}, send });

describe('countingEndpoint', () => {
  it('counts a call in flight until its reply, and a timeout', async () => {
    const counted = stats();
    const replying = countingEndpoint(
      endpoint(async () => new Uint8Array(3)),
      counted,
      true,
    );
    const pending = replying.send!(new Outbound({ x: 1 }, 'wf'));
    expect(counted.inflight).toBe(1);
    await pending;
    expect([counted.inflight, counted.messagesOut, counted.messagesIn, counted.bytesIn]).toEqual([0, 1, 1, 3]);
    const timingOut = countingEndpoint(
      endpoint(async () => {
        throw new RequestTimeoutError('no reply', 10);
      }),
      counted,
      true,
    );
    await expect(timingOut.send!(new Outbound({ x: 2 }, 'wf'))).rejects.toBeInstanceOf(RequestTimeoutError);
    expect([counted.inflight, counted.timeouts]).toEqual([0, 1]);
  });

  it('rejects, and leaves nothing in flight, when the endpoint throws instead of rejecting', async () => {
    const counted = stats();
    const throwing = countingEndpoint(
      endpoint(() => {
        throw new Error('thrown, not rejected');
      }),
      counted,
      true,
    );
    await expect(throwing.send!(new Outbound({ x: 1 }, 'wf'))).rejects.toThrow('thrown, not rejected');
    expect(counted.inflight).toBe(0);
  });
});
