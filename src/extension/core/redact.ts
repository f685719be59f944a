/**
 * Removes secrets from text before it is logged, shown or exported. Key-shaped
 * strings are caught by pattern; the exact keys the user stored are registered
 * too, so a key of any shape never leaks. No `vscode` import.
 */

const REDACTED = '[REDACTED]';

/** Shapes of credentials worth catching even when we were never told the value. */
const KEY_PATTERNS: readonly RegExp[] = [
  /\bsk-or-v\d+-[A-Za-z0-9_-]{8,}/g, // OpenRouter keys
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g, // OpenAI / Anthropic style keys
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, // Authorization header values
  /\b(api[_-]?key["']?\s*[:=]\s*["']?)[A-Za-z0-9._-]{8,}/gi,
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers an exact secret value so it is redacted wherever it appears. */
  addSecret(value: string | undefined): void {
    const v = value?.trim();
    // Very short values would redact ordinary words; keys are never this short.
    if (v && v.length >= 6) this.secrets.add(v);
  }

  removeSecret(value: string | undefined): void {
    const v = value?.trim();
    if (v) this.secrets.delete(v);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    for (const pattern of KEY_PATTERNS) {
      out = out.replace(pattern, (_match, prefix?: string) =>
        typeof prefix === 'string' ? `${prefix}${REDACTED}` : REDACTED,
      );
    }
    return out;
  }
}
