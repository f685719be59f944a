/**
 * Code a user message sent from the editor, and where it came from. Two shapes carry it:
 * a selection attachment (label `src/a.ts:12-30`, text kept in the message's metadata),
 * and "Send Selection" sent at once, whose message text ends with `path:lines`, then the code
 * in a fence (see core/selectionPrompt.ts). The view draws both as highlighted code with a
 * link to the lines; the host reads the same shapes to decide which locations a message may
 * open. No `vscode` import, no DOM use.
 */

export interface SentLocation {
  /** As the message wrote it: workspace-relative, or a file name. */
  readonly path: string;
  /** 1-based and inclusive; a whole file is 1..1. */
  readonly startLine: number;
  readonly endLine: number;
}

export interface SentCode {
  /** `src/a.ts:12-30`, as shown. */
  readonly label: string;
  readonly location: SentLocation | undefined;
  /** Fence language ("ts", or "" when unknown). */
  readonly language: string;
  readonly code: string;
}

const MAX_PATH = 1000;
const LINES = /^(.+?):(\d{1,9})(?:-(\d{1,9}))?$/;

/** `src/a.ts:12-30` → the path and lines; a bare path is the whole file (line 1). */
export function parseLocation(label: string): SentLocation | undefined {
  const text = label.trim();
  if (!text || text.length > MAX_PATH || /[\n\r\0]/.test(text)) return undefined;
  const m = LINES.exec(text);
  if (!m) return { path: text, startLine: 1, endLine: 1 };
  const start = Number(m[2]);
  const end = m[3] === undefined ? start : Number(m[3]);
  if (start < 1 || end < start) return undefined;
  return { path: m[1]!, startLine: start, endLine: end };
}

const FENCE_LINE = /^(`{3,})([\w+#.-]{0,40})$/;

/**
 * Splits a user message into what was typed and the selection "Send Selection" appended to
 * it; a message without one comes back whole with no code. Linear: it walks back from the
 * closing fence to the first line holding the same fence (the code never holds a run that long).
 */
export function splitSentSelection(content: string): { typed: string; code: SentCode | undefined } {
  const whole = { typed: content, code: undefined };
  const text = content.replace(/\s+$/, '');
  const closeAt = text.lastIndexOf('\n');
  const close = /^`{3,}$/.exec(text.slice(closeAt + 1));
  if (closeAt < 0 || !close) return whole;
  const fence = close[0];
  for (let at = text.lastIndexOf(`\n${fence}`, closeAt - 1); at >= 0; at = text.lastIndexOf(`\n${fence}`, at - 1)) {
    const lineEnd = text.indexOf('\n', at + 1);
    const open = FENCE_LINE.exec(text.slice(at + 1, lineEnd));
    if (!open || open[1] !== fence) continue;
    const headerStart = text.lastIndexOf('\n', at - 1) + 1;
    const label = text.slice(headerStart, at).trim();
    const location = parseLocation(label);
    // The header names a place, not a sentence: line numbers, or a path-like word without spaces.
    if (!location || !(LINES.test(label) || /^\S*[./]\S*$/.test(label))) return whole;
    return {
      typed: text.slice(0, headerStart).replace(/\s+$/, ''),
      code: { label, location, language: open[2] ?? '', code: lineEnd === closeAt ? '' : text.slice(lineEnd + 1, closeAt) },
    };
  }
  return whole;
}
