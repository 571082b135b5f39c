import { describe, expect, it } from 'vitest';
import type { Outputs } from './outputs.js';
import { workflowToSend } from './to-send.js';

/** An Outputs that records the workflow id of each send. */
function recordingOutputs(): { outputs: Outputs; ids: string[] } {
  const ids: string[] = [];
  const outputs = {
    send: async (_type: string, _name: string, _args: Record<string, unknown>, id: string) => {
      ids.push(id);
      return {};
    },
  } as unknown as Outputs;
  return { outputs, ids };
}

describe('workflowToSend', () => {
  it('sends <id> first, then <id>_1, <id>_2 (the seed rule)', async () => {
    const { outputs, ids } = recordingOutputs();
    const toSend = workflowToSend(outputs, 'wf');
    for (let i = 0; i < 3; i++) await toSend('connection', 'out', { i });
    expect(ids).toEqual(['wf', 'wf_1', 'wf_2']);
  });

  it('gives each call its own count, also when a to_send is kept and used after others', async () => {
    const { outputs, ids } = recordingOutputs();
    const first = workflowToSend(outputs, 'a');
    const second = workflowToSend(outputs, 'b');
    await first('connection', 'out');
    await second('connection', 'out');
    await first('connection', 'out');
    await workflowToSend(outputs, 'c')('connection', 'out');
    await second('connection', 'out');
    expect(ids).toEqual(['a', 'b', 'a_1', 'c', 'b_1']);
  });

  it('sends {} when args are left out', async () => {
    const sent: unknown[] = [];
    const outputs = { send: async (_t: string, _n: string, args: unknown) => sent.push(args) } as unknown as Outputs;
    await workflowToSend(outputs, 'wf')('connection', 'out');
    expect(sent).toEqual([{}]);
  });
});
