/** What the status view shows of one service process. */
export interface ServiceStatus {
  /** Its name (with `#n` for a replica). */
  readonly spec: { readonly name: string };
  /** Its current process id. */
  pid?: number | undefined;
  /** `starting`, `up`, `running` (main mode), `finished`, `restarting`, `crash loop`, `usage error` or `stopped`. */
  state: string;
  /** When its current process started (ms since the epoch). */
  startedAt: number;
  /** How many times it was restarted. */
  restarts: number;
  /** How its last crash ended. */
  lastError?: string;
}

const MAX_ERROR = 70;

/** The status view: one row per service with pid, state, time up, restarts and last error. */
export function statusTable(rows: readonly ServiceStatus[], now: number): string[] {
  const cells = [
    ['service', 'pid', 'state', 'up', 'restarts', 'last error'],
    ...rows.map((row) => [
      row.spec.name,
      row.pid === undefined ? '-' : String(row.pid),
      row.state,
      ['up', 'running'].includes(row.state) ? duration(now - row.startedAt) : '-',
      String(row.restarts),
      row.lastError === undefined ? '-' : row.lastError.length > MAX_ERROR ? `${row.lastError.slice(0, MAX_ERROR - 1)}…` : row.lastError,
    ]),
  ];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((line) => line[column]!.length)));
  return cells.map((line) =>
    line
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
}

function duration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}
