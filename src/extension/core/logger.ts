/**
 * The logging seam used by every vscode-free layer: the editor's LogOutputChannel is
 * wrapped to this shape at the edge, tests pass a memory logger.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
