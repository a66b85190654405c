/**
 * The broker's log: one line per event on stderr, with a level and optional fields. Small on
 * purpose; the CLI picks the level, tests pass `silentLogger`.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function format(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  const parts = Object.entries(fields).map(([key, value]) => {
    const text =
      value instanceof Error
        ? `${value.name}: ${value.message}`
        : typeof value === 'string'
          ? value
          : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return `${key}=${text}`;
  });
  return ` ${parts.join(' ')}`;
}

/** Writes `logscope-broker LEVEL message key=value…` lines at `level` and above. */
export function streamLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const threshold = LEVELS[level];
  const at =
    (lineLevel: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (LEVELS[lineLevel] >= threshold) {
        write(`logscope-broker ${lineLevel.toUpperCase()} ${message}${format(fields)}\n`);
      }
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
