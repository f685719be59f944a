/**
 * The Content-Security-Policy of every Neural Terminal webview: nothing is allowed
 * by default; scripts only with the page's nonce; styles, fonts and images only from
 * the extension's own resource origin. No `unsafe-*` — model output is hostile input.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(nonce)) throw new Error('CSP nonce must be random base64');
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}
