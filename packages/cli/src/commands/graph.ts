import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { CliIo } from '../types.js';
import { UsageError } from '../usage-error.js';
import { runCommand, systemCommand } from './parse-command.js';
import { systemModule } from './system-module.js';

/** The output formats, each named after the `@sf/system` function that draws it. */
const FORMATS = { mermaid: 'toMermaid', dot: 'toDot', svg: 'toSvg' } as const;

/** The format an output file's extension names: `-o system.svg` draws SVG without `--format`. */
const EXTENSIONS: Readonly<Record<string, keyof typeof FORMATS>> = {
  '.svg': 'svg',
  '.dot': 'dot',
  '.gv': 'dot',
  '.mmd': 'mermaid',
  '.mermaid': 'mermaid',
  '.txt': 'mermaid',
  '': 'mermaid',
};

/** The `graph` command: its options and help. */
export function createGraphCommand(): Command {
  return systemCommand('graph')
    .description('Draw a system: services as nodes, wires as edges labelled with their types and models, states dashed.')
    .summary('draw a system as Mermaid, DOT or SVG: sf graph [system] [--format svg] [-o file]')
    .addOption(
      new Option('--format <format>', "output format (default: from the -o file's extension, else mermaid)").choices(Object.keys(FORMATS)),
    )
    .option('-o, --out <file>', 'write to this file instead of standard output (.svg, .dot/.gv, .mmd/.mermaid)');
}

/** `sf graph …`: prints (or writes) the picture of the system; resolves to 0. */
export function graph(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(createGraphCommand(), argv, io, async (command) => {
    const options = command.opts<{ format?: keyof typeof FORMATS; out?: string }>();
    const { out } = options;
    const format = options.format ?? (out === undefined ? 'mermaid' : formatOf(out));
    const system = await systemModule();
    const analysis = await system.analyseSystem(await system.loadSystem(command.args[0], io.cwd));
    const text = await system[FORMATS[format]](system.systemGraph(analysis));
    if (analysis.problems.length > 0)
      io.stderr(`sf graph: the system has ${analysis.problems.length} problem(s); run 'sf check' to see them\n`);
    if (out === undefined) io.stdout(text);
    else await writeFile(resolve(io.cwd, out), text);
    return 0;
  });
}

/** The format named by a file's extension (none or `.txt`: Mermaid text); another extension (`.png`) needs `--format`. */
function formatOf(file: string): keyof typeof FORMATS {
  const format = EXTENSIONS[extname(file).toLowerCase()];
  if (format !== undefined) return format;
  throw new UsageError(
    `cannot tell the format of '${file}' from its extension: use .svg, .dot, .gv, .mmd or .mermaid, or give --format`,
    'sf graph --help',
  );
}
