/**
 * `JSON.parse` that answers instead of throwing, so each caller says in its own words
 * what was not JSON (a model list, an export file, one stream event).
 */
export type JsonParse = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
