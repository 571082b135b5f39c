import { toDot } from './dot.js';
import type { SystemGraph } from './graph-model.js';

/** SVG of a system, laid out by Graphviz compiled to WebAssembly (`@viz-js/viz`): no external binary. */
export async function toSvg(graph: SystemGraph): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  return viz.renderString(toDot(graph), { format: 'svg' });
}
