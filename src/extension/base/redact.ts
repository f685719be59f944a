/**
 * The one secret scrubber. Removes secrets from text before it is logged, shown,
 * put into an error or exported. Key-shaped strings are caught by pattern; the exact
 * keys the user stored are registered too, so a key of any shape never leaks.
 * Every layer uses the same placeholder, `[REDACTED]`. No `vscode` import.
 */

export const REDACTED = '[REDACTED]';

/** Exact secrets shorter than this would redact ordinary words; keys are never this short. */
const MIN_SECRET_LENGTH = 6;

/** Shapes of credentials worth catching even when we were never told the value. */
const KEY_PATTERNS: readonly RegExp[] = [
  /\bsk-or-[A-Za-z0-9_-]{8,}/g, // OpenRouter keys ("sk-or-v1-<64 hex>")
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g, // OpenAI / Anthropic style keys
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{6,}/gi, // Authorization header values
  /\b(api[_-]?key["']?\s*[:=]\s*["']?)[A-Za-z0-9._-]{8,}/gi,
];

/** Removes every given secret and anything shaped like a key or bearer token. */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const raw of secrets) {
    const secret = raw.trim();
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
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
