import type { SystemGraph } from './graph-model.js';

const CONNECTION = '#35618f';
const STATE = '#2e8b57';

/**
 * Graphviz DOT text of a system: connections solid blue, states dashed green, main-mode services
 * doubly outlined, entries as arrows, hosts as clusters.
 */
export function toDot(graph: SystemGraph): string {
  const lines = [
    `digraph ${quote(graph.name)} {`,
    '  rankdir=LR;',
    `  graph [fontname="Helvetica", label=${quote(`system ${graph.name}`)}, labelloc=t, fontsize=16, nodesep=0.6, ranksep=1.2];`,
    '  node [shape=box, style="rounded,filled", fillcolor="#f4f7fb", color="#5b6b7f", fontname="Helvetica", fontsize=12];',
    `  edge [fontname="Helvetica", fontsize=10, color="${CONNECTION}", fontcolor="${CONNECTION}"];`,
  ];
  const line = (node: SystemGraph['nodes'][number], indent: string) => {
    const shape = node.main ? ', peripheries=2' : node.entry ? ', shape=cds, style="filled,dashed", fillcolor="#ffffff"' : '';
    lines.push(`${indent}${quote(node.name)} [label=${quote(`${node.name}\n${node.detail}`)}${shape}];`);
  };
  const grouped = new Set(graph.groups.flatMap((group) => group.nodes));
  graph.groups.forEach((group, index) => {
    lines.push(
      `  subgraph cluster_host${index} {`,
      `    label=${quote(group.label)}; style="rounded,dashed"; color="#8a96a3"; fontsize=12;`,
    );
    for (const node of graph.nodes.filter((one) => group.nodes.includes(one.name))) line(node, '    ');
    lines.push('  }');
  });
  for (const node of graph.nodes.filter((one) => !grouped.has(one.name))) line(node, '  ');
  for (const edge of graph.edges) {
    const style = edge.state ? `, style=dashed, color="${STATE}", fontcolor="${STATE}"` : '';
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [label=${quote(`${edge.title}\n${edge.model}`)}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A DOT string: backslashes and quotes escaped, newlines as `\n` (centred lines). */
function quote(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}
