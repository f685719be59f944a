/**
 * The one logging seam of the host. Every vscode-free layer (openrouter, storage,
 * core) logs through this shape; the editor's LogOutputChannel is wrapped to it at
 * the edge (vscode/log.ts) and tests pass a memory or silent logger.
 * No `vscode` import.
 */

/** Structured context for a line; sinks render it after the message. */
export type LogData = Readonly<Record<string, unknown>>;

export interface Logger {
  trace(message: string, data?: LogData): void;
  debug(message: string, data?: LogData): void;
  info(message: string, data?: LogData): void;
  warn(message: string, data?: LogData): void;
  error(message: string, data?: LogData): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

/** Renders a line with its data, as sinks that take plain text need it. */
export function formatLogLine(message: string, data?: LogData): string {
  return data ? `${message} ${JSON.stringify(data)}` : message;
}

/** A logger that rewrites every line (a prefix, redaction) before passing it on. */
export function mapLogger(log: Logger, map: (line: string) => string): Logger {
  const out = {} as Record<(typeof LEVELS)[number], Logger['info']>;
  for (const level of LEVELS) out[level] = (message, data) => log[level](map(formatLogLine(message, data)));
  return out;
}
