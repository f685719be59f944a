/**
 * What arguments a command accepts from whoever runs it. Any extension, a keybinding
 * or a `command:` link can run our commands with arguments, so arguments that would
 * skip a dialog — a path to write or read, a key to store, "send the whole file" —
 * are dropped here and reach the handlers only through the test API. What is left
 * is checked again by the handler against the host's state (ids, the catalog).
 */

/** The arguments a command keeps when run by anyone but the test API. */
export function publicArgs(command: string, args: readonly unknown[]): unknown[] {
  const [first] = args;
  switch (command) {
    case 'forkConversation':
    case 'openAsMarkdown':
    case 'searchHistory':
    case 'selectModel':
      return typeof first === 'string' ? [first] : [];
    case 'sendSelection':
      // A keybinding may carry a fixed question; never `wholeFile`, which skips the modal.
      return isRecord(first) && typeof first['prompt'] === 'string' ? [{ prompt: first['prompt'] }] : [];
    case 'diagnose':
      return isRecord(first) && first['show'] === false ? [{ show: false }] : [];
    default:
      return [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
