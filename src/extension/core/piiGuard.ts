/**
 * The optional PII guard: redacts emails, phone numbers, US social security numbers,
 * payment-card numbers (Luhn-checked, so order ids survive) and API keys from outgoing
 * prompts, and finds the same in replies so the UI can flag them. Reports what it
 * changed by kind and count, never the values. No `vscode` import.
 */

export type PiiKind = 'email' | 'phone' | 'ssn' | 'card' | 'apiKey';

export interface PiiFinding {
  kind: PiiKind;
  start: number;
  end: number;
}

interface Rule {
  kind: PiiKind;
  pattern: RegExp;
  accept?: (match: string) => boolean;
}

const RULES: readonly Rule[] = [
  { kind: 'apiKey', pattern: /\b(?:sk-or-v\d+-[A-Za-z0-9_-]{16,}|sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abpr]-[A-Za-z0-9-]{10,})/g },
  { kind: 'email', pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g },
  { kind: 'ssn', pattern: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g },
  { kind: 'card', pattern: /\b(?:\d[ -]?){12,18}\d\b/g, accept: (m) => luhn(m.replace(/\D/g, '')) },
  {
    kind: 'phone',
    // Not glued to letters or to further digit groups (card numbers, ids); a sentence may end after it.
    pattern: /(?<![\w.+-]|\d[\s.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}(?!\w|[\s.-]\d)/g,
  },
];

export function luhn(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Every PII span in the text, earliest first, without overlaps (first rule wins). */
export function findPii(text: string): PiiFinding[] {
  const found: PiiFinding[] = [];
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.pattern)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (rule.accept && !rule.accept(m[0])) continue;
      if (found.some((f) => start < f.end && end > f.start)) continue;
      found.push({ kind: rule.kind, start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

export interface Redaction {
  text: string;
  counts: Partial<Record<PiiKind, number>>;
}

/** Replaces each finding with a typed placeholder such as `[email redacted]`. */
export function redactPii(text: string): Redaction {
  const findings = findPii(text);
  const counts: Partial<Record<PiiKind, number>> = {};
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + `[${f.kind} redacted]`;
    at = f.end;
    counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  }
  return { text: out + text.slice(at), counts };
}
