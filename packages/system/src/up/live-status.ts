import { type ServiceStatus, statusTable } from './status-table.js';

/** How often the live status view is redrawn. */
export const LIVE_REFRESH_MS = 1000;

/** Moves the cursor to the start of the line `height` lines up and erases from there to the end of the screen. */
const erase = (height: number): string => (height === 0 ? '' : `\x1b[${height}F\x1b[J`);

/** The live status view's lines: a rule, then the table, each cut to the terminal's width so none wraps. */
export function statusView(rows: readonly ServiceStatus[], now: number, columns: number): string[] {
  const lines = ['── status ──', ...statusTable(rows, now)];
  return lines.map((line) => (line.length < columns ? line : `${line.slice(0, Math.max(0, columns - 2))}…`));
}

/**
 * One redraw of a terminal that shows log lines above a live view: erases the view drawn before
 * (`previousHeight` lines), writes the new log lines where it was, then the view below them.
 */
export function redraw(previousHeight: number, logLines: readonly string[], view: readonly string[]): string {
  return `${erase(previousHeight)}${logLines.map((line) => `${line}\n`).join('')}${view.map((line) => `${line}\n`).join('')}`;
}

/** A live status view at the bottom of a terminal, redrawn every second and under every log line. */
export class LiveStatus {
  #height = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly write: (text: string) => void,
    private readonly rows: readonly ServiceStatus[],
    private readonly columns: () => number,
  ) {
    this.#timer = setInterval(() => this.log(), LIVE_REFRESH_MS);
    this.#timer.unref();
  }

  /** Writes log lines above the view and redraws it. */
  log(...lines: string[]): void {
    const view = statusView(this.rows, Date.now(), this.columns());
    this.write(redraw(this.#height, lines, view));
    this.#height = view.length;
  }

  /** Stops refreshing and erases the view. */
  close(): void {
    clearInterval(this.#timer);
    this.write(redraw(this.#height, [], []));
    this.#height = 0;
  }
}
