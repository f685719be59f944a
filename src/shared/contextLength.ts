/**
 * A model's context window in one format on every surface (the view's models drawer, the
 * Select Model quick pick): "8k", "131k", "1.05M". Pure, shared by host and view.
 */
export function formatContextLength(tokens: number): string {
  if (!Number.isFinite(tokens) || tokens <= 0) return '?';
  if (tokens < 1000) return String(Math.round(tokens));
  if (tokens < 999_500) return `${Math.round(tokens / 1000)}k`;
  return `${Number((tokens / 1_000_000).toPrecision(3))}M`;
}
