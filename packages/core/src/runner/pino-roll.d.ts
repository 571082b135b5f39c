// pino-roll ships no type declarations; this covers the options the logger uses.
declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';

  /** Options of pino-roll's rotating file stream. */
  interface RollOptions {
    file: string;
    extension?: string;
    frequency?: 'daily' | 'hourly' | number;
    mkdir?: boolean;
    limit?: { count?: number };
    size?: string | number;
  }

  /** Opens a file stream rotated by time or size. */
  export default function rollingFile(options: RollOptions): Promise<DestinationStream>;
}
