/**
 * The one secret scrubber. Removes secrets from text before it is logged, shown,
 * put into an error or exported. Key-shaped strings are caught by pattern; the exact
 * keys the user stored are registered too, so a key of any shape never leaks, and
 * neither do its usual disguises: any case, JSON `\u` escapes, URL encoding, base64
 * (any alignment, standard or URL-safe), hex, or a piece of it long enough to matter
 * (a key split across two log lines). Every layer uses the same placeholder,
 * `[REDACTED]`. No `vscode` import.
 */

export const REDACTED = '[REDACTED]';

/** Exact secrets shorter than this would redact ordinary words; keys are never this short. */
const MIN_SECRET_LENGTH = 6;
/**
 * A piece of a stored secret this long is redacted wherever it appears. A split key
 * leaves at most this many characters minus one on one side, and an OpenRouter key's
 * first nine are its public prefix.
 */
export const MIN_FRAGMENT = 12;

/** Shapes of credentials worth catching even when we were never told the value. */
const KEY_PATTERNS: readonly RegExp[] = [
  /\bsk-or-[A-Za-z0-9_-]{8,}/g, // OpenRouter keys ("sk-or-v1-<64 hex>")
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g, // OpenAI / Anthropic style keys
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{6,}/gi, // Authorization header values
  /\b(api[_-]?key["']?\s*[:=]\s*["']?)[A-Za-z0-9._-]{8,}/gi,
];

/** Removes every given secret (in any of its disguises) and anything shaped like a key or bearer token. */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const raw of secrets) {
    const secret = raw.trim();
    if (secret.length >= MIN_SECRET_LENGTH) out = matcherFor(secret).scrub(out);
  }
  for (const pattern of KEY_PATTERNS) {
    out = out.replace(pattern, (_match, prefix?: string) =>
      typeof prefix === 'string' ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/** Remembers the secrets the user stored, so every later line can be scrubbed of them. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers an exact secret value so it is redacted wherever it appears. */
  addSecret(value: string | undefined): void {
    const v = value?.trim();
    if (v && v.length >= MIN_SECRET_LENGTH) this.secrets.add(v);
  }

  removeSecret(value: string | undefined): void {
    const v = value?.trim();
    if (v) this.secrets.delete(v);
  }

  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }
}

// ── one secret's matchers, compiled once ─────────────────────────────────────

interface SecretMatcher {
  scrub(text: string): string;
}

const CACHE_SIZE = 16;
const cache = new Map<string, SecretMatcher>();

function matcherFor(secret: string): SecretMatcher {
  let m = cache.get(secret);
  if (!m) {
    m = compile(secret);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(secret, m);
  }
  return m;
}

function compile(secret: string): SecretMatcher {
  // The whole secret with each character literal, `\uXXXX`-escaped or %-encoded, in any case.
  const spelled = new RegExp([...secret].map(charForms).join(''), 'gi');
  const bytes = new TextEncoder().encode(secret);
  const binary = base64Forms(bytes);
  const hex = new RegExp(escapeRegExp(toHex(bytes)), 'gi');
  const lower = secret.toLowerCase();
  // Pieces: every MIN_FRAGMENT-long window of the secret, found without case, then widened.
  const windows = new Set<string>();
  for (let i = 0; i + MIN_FRAGMENT <= lower.length; i++) windows.add(lower.slice(i, i + MIN_FRAGMENT));
  const pieces = windows.size > 0 ? new RegExp([...windows].map(escapeRegExp).join('|'), 'gi') : undefined;

  return {
    scrub(text: string): string {
      let out = text.replace(spelled, REDACTED).replace(hex, REDACTED);
      for (const form of binary) if (out.includes(form)) out = out.split(form).join(REDACTED);
      if (pieces) out = scrubPieces(out, lower, pieces);
      return out;
    },
  };
}

/** Replaces every run of text that is a piece (≥ MIN_FRAGMENT characters) of `secret`, ignoring case. */
function scrubPieces(text: string, secret: string, pieces: RegExp): string {
  const lowerText = text.toLowerCase();
  const spans: Array<[number, number]> = [];
  pieces.lastIndex = 0;
  for (let m = pieces.exec(lowerText); m; m = pieces.exec(lowerText)) {
    const at = m.index;
    let best: [number, number] = [at, at + MIN_FRAGMENT];
    // Widen along every place the window occurs in the secret; keep the longest run.
    for (let j = secret.indexOf(m[0]); j >= 0; j = secret.indexOf(m[0], j + 1)) {
      let start = at;
      let end = at + MIN_FRAGMENT;
      let s = j;
      let e = j + MIN_FRAGMENT;
      while (start > 0 && s > 0 && lowerText[start - 1] === secret[s - 1]) {
        start--;
        s--;
      }
      while (end < lowerText.length && e < secret.length && lowerText[end] === secret[e]) {
        end++;
        e++;
      }
      if (end - start > best[1] - best[0]) best = [start, end];
    }
    spans.push(best);
    pieces.lastIndex = Math.max(best[1], at + 1);
  }
  if (spans.length === 0) return text;
  let out = '';
  let from = 0;
  for (const [start, end] of spans) {
    if (start < from) continue;
    out += text.slice(from, start) + REDACTED;
    from = end;
  }
  return out + text.slice(from);
}

function charForms(c: string): string {
  const code = c.charCodeAt(0);
  const forms = [escapeRegExp(c), `\\\\u${code.toString(16).padStart(4, '0')}`];
  if (c.length === 1 && code < 0x80) forms.push(`%${code.toString(16).padStart(2, '0')}`);
  // JSON string escapes: `\/`, `\"`, `\\`.
  if (c === '/' || c === '"' || c === '\\') forms.push(`\\\\${escapeRegExp(c)}`);
  return `(?:${forms.join('|')})`;
}

/**
 * The part of the secret's base64 that does not depend on what surrounds it, for each
 * of the three byte alignments, standard and URL-safe alphabets.
 */
function base64Forms(bytes: Uint8Array): string[] {
  const forms = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const b64 = Buffer.from(padded).toString('base64');
    const stable = b64.slice(offset > 0 ? 4 : 0, Math.floor((offset + bytes.length) / 3) * 4);
    if (stable.length >= 8) {
      forms.add(stable);
      forms.add(stable.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms];
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
