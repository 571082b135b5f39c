import { describe, expect, it } from 'vitest';
import { redraw, statusView } from './live-status.js';

const now = 1_000_000;
const rows = [
  { spec: { name: 'pricer' }, pid: 4242, state: 'up', startedAt: now - 5_000, restarts: 1, lastError: 'was killed by SIGKILL' },
  { spec: { name: 'order-feed' }, pid: 77, state: 'finished', startedAt: now, restarts: 0 },
];

describe('statusView', () => {
  it('is a rule and the status table, every line cut to the terminal width', () => {
    expect(statusView(rows, now, 200)).toEqual([
      '── status ──',
      'service     pid   state     up  restarts  last error',
      'pricer      4242  up        5s  1         was killed by SIGKILL',
      'order-feed  77    finished  -   0         -',
    ]);
    const narrow = statusView(rows, now, 20);
    expect(narrow[2]).toBe('pricer      4242  …');
    expect(narrow.every((line) => line.length < 20)).toBe(true);
  });
});

describe('redraw', () => {
  it('draws the view below the log lines the first time', () => {
    expect(redraw(0, ['pricer | ready'], ['── status ──', 'row'])).toBe('pricer | ready\n── status ──\nrow\n');
  });

  it('erases the view drawn before, writes the new log lines in its place, then the view again', () => {
    expect(redraw(2, ['a | one', 'b | two'], ['── status ──', 'row'])).toBe('\x1b[2F\x1b[Ja | one\nb | two\n── status ──\nrow\n');
  });

  it('only redraws the view when there is nothing to log, and only erases it at the end', () => {
    expect(redraw(3, [], ['v'])).toBe('\x1b[3F\x1b[Jv\n');
    expect(redraw(3, [], [])).toBe('\x1b[3F\x1b[J');
  });
});
