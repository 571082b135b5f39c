import type { SystemGraph } from './graph-model.js';

/**
 * Mermaid flowchart text of a system: states as dotted edges, main-mode services as stadium shapes,
 * entry points as flags, hosts as subgraphs.
 */
export function toMermaid(graph: SystemGraph): string {
  const ids = new Map(graph.nodes.map((node, index) => [node.name, `${node.entry ? 'e' : 's'}${index}`]));
  const lines = ['flowchart LR'];
  const line = (node: SystemGraph['nodes'][number], indent: string) => {
    const label = text(`${node.name}<br/><small>${node.detail}</small>`);
    lines.push(`${indent}${ids.get(node.name)}${node.main ? `(["${label}"])` : node.entry ? `>"${label}"]` : `["${label}"]`}`);
  };
  const grouped = new Set(graph.groups.flatMap((group) => group.nodes));
  graph.groups.forEach((group, index) => {
    lines.push(`  subgraph h${index} ["${text(group.label)}"]`);
    for (const node of graph.nodes.filter((one) => group.nodes.includes(one.name))) line(node, '    ');
    lines.push('  end');
  });
  for (const node of graph.nodes.filter((one) => !grouped.has(one.name))) line(node, '  ');
  for (const edge of graph.edges) {
    const arrow = edge.state ? '-.->' : '-->';
    lines.push(`  ${ids.get(edge.from)} ${arrow}|"${text(`${edge.title}<br/>${edge.model}`)}"| ${ids.get(edge.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Mermaid labels in quotes: `"` is written as an entity, a newline as `<br/>`. */
function text(label: string): string {
  return label.replaceAll('"', '#quot;').replaceAll('\n', '<br/>');
}
