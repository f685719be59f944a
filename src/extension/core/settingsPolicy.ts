/**
 * Which settings a workspace may not decide. A repository's `.vscode/settings.json`
 * is written by whoever wrote the repository: it must not raise a budget, swap the
 * system prompt or the model the user pays for, or switch redaction off. These keys
 * are read from the user's own (or machine) settings only; a workspace may only make
 * privacy stricter (turn redaction on). No `vscode` import.
 */

/** Keys (without the `neuralTerminal.` prefix) that only the user's settings decide. */
export const USER_ONLY_SETTINGS = [
  'budget.session',
  'budget.monthly',
  'budget.warnAt',
  'privacy.redactPII',
  'systemPrompt',
  'defaultModel',
  'fallbackModels',
  'maxTokens',
  'baseUrl',
  // The OpenRouter request controls: where prompts go and what a send costs.
  'routing.sort',
  'routing.order',
  'routing.only',
  'routing.ignore',
  'routing.allowFallbacks',
  'routing.denyDataCollection',
  'routing.zdr',
  'routing.maxPromptPrice',
  'routing.maxCompletionPrice',
  'reasoning.effort',
  'reasoning.maxTokens',
  'webSearch.maxResults',
  'preset',
  'promptCaching',
  'sessionId',
] as const;
export type UserOnlySetting = (typeof USER_ONLY_SETTINGS)[number];

/** A workspace value of these is honoured when it is the stricter choice. */
export function isStricterPrivacy(key: string, value: unknown): boolean {
  return key === 'privacy.redactPII' && value === true;
}

/**
 * The user-only keys a workspace settings text tries to set (JSON with comments, as
 * the editor writes it), except the ones that only make privacy stricter. Tolerant:
 * a file that does not parse is searched for the key names instead, so a broken file
 * still gets its attempt reported.
 */
export function userOnlyKeysIn(text: string): UserOnlySetting[] {
  const parsed = parseJsonc(text);
  const found: UserOnlySetting[] = [];
  for (const key of USER_ONLY_SETTINGS) {
    const full = `neuralTerminal.${key}`;
    if (parsed) {
      const nested = parsed['neuralTerminal'];
      const value = full in parsed ? parsed[full] : isRecord(nested) && key in nested ? nested[key] : undefined;
      if (value !== undefined && !isStricterPrivacy(key, value)) found.push(key);
    } else if (text.includes(`"${full}"`)) {
      found.push(key);
    }
  }
  return found;
}

/** JSON with `//` and `/* *\/` comments and trailing commas, as settings files allow. */
export function parseJsonc(text: string): Record<string, unknown> | undefined {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      out += c;
    }
  }
  try {
    const value: unknown = JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for this machine: localhost, 127.0.0.0/8, ::1 (with or without a port or brackets). */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * The key travels in a header to this URL: https everywhere, plain http only to this
 * machine (the offline demo server, a local proxy). Anything else is refused.
 */
export function endpointAllowed(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
}
