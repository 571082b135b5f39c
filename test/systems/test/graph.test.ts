import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenFixture, ROOT, runSf } from '../src/run-sf.js';

describe('sf graph', () => {
  it.each(['market-data', 'pipeline'])('regenerates docs/%s-system.svg byte for byte (the picture in the README)', async (example) => {
    const result = await runSf(['graph', `examples/${example}`, '--format', 'svg']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(await readFile(join(ROOT, 'docs', `${example}-system.svg`), 'utf8'));
  });

  it('draws services as nodes and wires as edges labelled with types and models, states dotted (Mermaid)', async () => {
    const result = await runSf(['graph', 'examples/market-data']);
    expect(result.stdout.split('\n')).toEqual([
      'flowchart LR',
      '  s0["strategy<br/><small>strategy.ts</small>"]',
      '  s1(["market-data<br/><small>market-data.ts · main</small>"])',
      '  s1 -->|"quote: requester → replyer<br/>{ symbol: String } → { mid: Decimal, spread: Decimal, levels: Number }"| s0',
      '  s1 -.->|"state bids: delta_update_out → delta_update_in<br/>an object of Decimal keys (as text) to Decimal"| s0',
      '  s1 -.->|"state asks: delta_update_out → delta_update_in<br/>an object of Decimal keys (as text) to Decimal"| s0',
      '',
    ]);
  });

  it('draws states dashed in DOT, and main-mode services doubly outlined', async () => {
    const result = await runSf(['graph', 'examples/market-data', '--format', 'dot']);
    expect(result.stdout).toContain('"market-data" [label="market-data\\nmarket-data.ts · main", peripheries=2];');
    expect(result.stdout).toMatch(
      /"market-data" -> "strategy" \[label="state bids: delta_update_out → delta_update_in\\nan object of Decimal keys \(as text\) to Decimal", style=dashed/,
    );
  });

  it('still draws a system with problems, and says so on stderr', async () => {
    const result = await runSf(['graph', brokenFixture('topic-mismatch'), '--format', 'dot']);
    expect(result.stdout).toContain(
      '"feed" -> "watcher" [label="ticks: publisher → subscriber, topic \'BTC\' → \'ETH\'\\n{ price: Number }"];',
    );
    expect(result.stderr).toBe("sf graph: the system has 1 problem(s); run 'sf check' to see them\n");
    expect(result.code).toBe(0);
  });

  it('-o takes the format from the file extension when --format is not given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sf-graph-'));
    try {
      for (const [file, start] of [
        ['system.svg', /^<\?xml .*\n(.*\n)*<svg /],
        ['system.dot', /^digraph "market-data" \{\n/],
        ['system.gv', /^digraph "market-data" \{\n/],
        ['system.mmd', /^flowchart LR\n/],
        ['system.mermaid', /^flowchart LR\n/],
      ] as const) {
        const result = await runSf(['graph', 'examples/market-data', '-o', join(dir, file)]);
        expect(result.code).toBe(0);
        expect(await readFile(join(dir, file), 'utf8')).toMatch(start);
      }
      // --format wins over the extension.
      await runSf(['graph', 'examples/market-data', '-o', join(dir, 'picture.svg'), '--format', 'dot']);
      expect(await readFile(join(dir, 'picture.svg'), 'utf8')).toMatch(/^digraph /);
      const png = await runSf(['graph', 'examples/market-data', '-o', join(dir, 'system.png')]);
      expect(png.stderr).toMatch(
        /^sf: cannot tell the format of '.*system\.png' from its extension: use \.svg, \.dot, \.gv, \.mmd or \.mermaid, or give --format\. Run 'sf graph --help'\.\n$/,
      );
      expect(png.code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('shows a pub/sub topic on its edge', async () => {
    const result = await runSf(['graph', 'examples/pipeline']);
    expect(result.stdout).toContain("orders: publisher → subscriber, topic 'orders'");
  });

  it('refuses an unknown format', async () => {
    const result = await runSf(['graph', '--format', 'png']);
    expect(result.stderr).toMatch(
      /^sf: option '--format <format>' argument 'png' is invalid\. Allowed choices are mermaid, dot, svg\. Run 'sf graph --help'\.\n$/,
    );
    expect(result.code).toBe(2);
  });
});
