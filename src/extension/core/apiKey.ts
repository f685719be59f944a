/**
 * Rules for what counts as an API key, shared by the command, the tests and the
 * settings migration. No `vscode` import.
 */

export type KeyCheck = { ok: true; key: string } | { ok: false; reason: string };

/** Trims surrounding space; refuses empty keys, inner whitespace, control characters and anything but printable ASCII. */
export function checkApiKey(input: string | undefined): KeyCheck {
  const key = (input ?? '').trim();
  if (key.length === 0) return { ok: false, reason: 'The API key is empty.' };
  if (/[\s\u0000-\u001f\u007f]/.test(key)) {
    return { ok: false, reason: 'The API key must not contain spaces or line breaks.' };
  }
  // Keys are printable ASCII; anything else would be sent in a header the server rejects,
  // and each rejection counts toward the circuit breaker.
  if (!/^[\x21-\x7e]+$/.test(key)) {
    return { ok: false, reason: 'The API key may contain only printable ASCII characters (no accents, emoji or look-alike letters).' };
  }
  if (key.length > 512) return { ok: false, reason: 'That is too long to be an API key.' };
  return { ok: true, key };
}

/** A hint the UI may show ("sk-or-v1-…a1b2") without revealing the key. */
export function maskApiKey(key: string): string {
  return key.length <= 8 ? '…' : `${key.slice(0, 6)}…${key.slice(-4)}`;
}
