/** Resolves at the first idle period with at least 45 ms to spare (nothing else left to run). */
export function idle(): Promise<void> {
  return new Promise((ok) => {
    const wait = (): void => {
      requestIdleCallback((deadline) => (deadline.timeRemaining() >= 45 ? ok() : wait()));
    };
    wait();
  });
}

/**
 * Loads the lazy highlighting chunk: waiting for idle while it is still being fetched would end
 * the wait before any code is coloured.
 */
export async function highlighterLoaded(): Promise<void> {
  await import('../../../src/webview/markdown/languages');
}
