import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyseSystem, loadSystem, type SystemGraph, systemGraph, toDot, toMermaid, toSvg } from '@sf/system';
import { Command, Option } from 'commander';
import type { CliIo } from '../program.js';
import { parseCommand } from './parse-command.js';

const FORMATS: Readonly<Record<string, (graph: SystemGraph) => string | Promise<string>>> = { mermaid: toMermaid, dot: toDot, svg: toSvg };

/** The `graph` command: its options and help. */
export function createGraphCommand(): Command {
  return new Command('graph')
    .description('Draw a system: services as nodes, wires as edges labelled with their types and models, states dashed.')
    .summary('draw a system as Mermaid, DOT or SVG: sf graph [system] [--format svg] [-o file]')
    .argument('[system]', 'the system file, or its folder', 'sf.system.json')
    .addOption(new Option('--format <format>', 'output format').choices(Object.keys(FORMATS)).default('mermaid'))
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .helpOption('-h, --help', 'show this help');
}

/** `sf graph …`: prints (or writes) the picture of the system; resolves to 0. */
export async function graph(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(createGraphCommand(), argv);
  if (parsed.help) {
    io.stdout(parsed.text);
    return 0;
  }
  const { format, out } = parsed.command.opts<{ format: string; out?: string }>();
  const analysis = await analyseSystem(await loadSystem(parsed.command.args[0], io.cwd));
  const text = await FORMATS[format]!(systemGraph(analysis));
  if (analysis.problems.length > 0) io.stderr(`sf graph: the system has ${analysis.problems.length} problem(s); run 'sf check' to see them\n`);
  if (out === undefined) io.stdout(text);
  else await writeFile(resolve(io.cwd, out), text);
  return 0;
}
