/**
 * Gathering a reply's streamed text per message, the same on both sides of the
 * bridge: the host batches token deltas before posting them (extension/core/streamCoalescer.ts),
 * the view batches the posts it receives until the next frame (webview/controllers/streamBuffer.ts).
 */

/** The text of one message that arrived in a stream. */
export interface StreamText {
  content: string;
  reasoning: string;
}

/** Adds a delta's text to what is gathered for `messageId`; `first` makes the entry for its first delta. */
export function gatherDelta<T extends StreamText>(pending: Map<string, T>, messageId: string, delta: StreamText, first: () => T): void {
  const gathered = pending.get(messageId);
  if (gathered) {
    gathered.content += delta.content;
    gathered.reasoning += delta.reasoning;
  } else {
    pending.set(messageId, first());
  }
}
