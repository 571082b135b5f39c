// @ts-check
// Summarises a .cpuprofile: the functions with the most samples, self and inclusive, in % of all
// samples ("(idle)" included, so shares compare across processes).
//   node tools/profile-top.mjs FILE.cpuprofile [rows]
import { readFileSync } from 'node:fs';

/** @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }} ProfileNode */
const profile = /** @type {{ nodes: ProfileNode[], samples: number[] }} */ (JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')));
const rows = Number(process.argv[3] ?? 30);
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map(profile.nodes.flatMap((node) => (node.children ?? []).map((child) => [child, node.id])));
/** @param {ProfileNode} node */
const name = ({ callFrame: frame }) =>
  `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;

/** @type {Map<string, number>} */
const self = new Map();
/** @type {Map<string, number>} */
const inclusive = new Map();
for (const id of profile.samples) {
  const leaf = nodes.get(id);
  if (leaf === undefined) continue;
  self.set(name(leaf), (self.get(name(leaf)) ?? 0) + 1);
  const seen = new Set();
  for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parents.get(at)) {
    const key = name(/** @type {ProfileNode} */ (nodes.get(at)));
    if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + 1);
    seen.add(key);
  }
}
/** @param {string} title @param {Map<string, number>} counts */
const print = (title, counts) => {
  console.log(title);
  for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, rows))
    console.log(`${((100 * count) / profile.samples.length).toFixed(1).padStart(6)}%  ${key}`);
};
print('self', self);
print('inclusive', inclusive);
