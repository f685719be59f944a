/** Escaping for the host-built static HTML pages (usage report). No `vscode` import. */

/** Escapes the five HTML-significant characters as numeric entities (text and attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
