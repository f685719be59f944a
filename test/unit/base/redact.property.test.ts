/**
 * Property-based: for many random keys, every disguise of a stored key — any case,
 * JSON `\u` escapes, URL encoding, base64 (any alignment, standard or URL-safe), hex,
 * split across two log lines, inside random surrounding text — is scrubbed. The oracle
 * is independent of the redactor: it decodes the output every way it could hide the
 * key and looks for any piece of the key MIN_FRAGMENT characters long. Seeded, so a
 * failure names the run that reproduces it.
 */
import { strict as assert } from 'node:assert';
import { MIN_FRAGMENT, Redactor } from '../../../src/extension/base/redact';

const RUNS = 300;
const SEED = Number(process.env.NT_PROPERTY_SEED ?? 0x5eed14);

/** mulberry32: small, fast, seedable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const PRINTABLE = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join('');
const HEX = '0123456789abcdef';
const str = (r: Rand, alphabet: string, n: number) => Array.from({ length: n }, () => pick(r, [...alphabet])).join('');

function randomKey(r: Rand): string {
  return r() < 0.5 ? `sk-or-v1-${str(r, HEX, 64)}` : str(r, PRINTABLE.replace(/[\s]/g, ''), int(r, 20, 100));
}

/** Ordinary text around the secret, so matches must be found inside other text. */
function context(r: Rand): string {
  return str(r, 'abcdefghijklmnopqrstuvwxyz ,.:="{}', int(r, 0, 30));
}

const encoders: Record<string, (key: string, r: Rand) => string> = {
  raw: (k) => k,
  upper: (k) => k.toUpperCase(),
  lower: (k) => k.toLowerCase(),
  'json-\\u-some': (k, r) => [...k].map((c) => (r() < 0.5 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join(''),
  'json-\\u-all-upper-hex': (k) => [...k].map((c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`).join(''),
  'json-stringified': (k) => JSON.stringify({ apiKeyCopy: k }),
  'url-encoded': (k) => encodeURIComponent(k),
  'url-encoded-every-char': (k, r) =>
    [...k].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).map((x) => (r() < 0.5 ? x.toUpperCase() : x)).join(''),
  base64: (k, r) => Buffer.from(str(r, 'xyz', int(r, 0, 5)) + k + str(r, 'xyz', int(r, 0, 5))).toString('base64'),
  base64url: (k, r) => Buffer.from(str(r, 'xyz', int(r, 0, 5)) + k).toString('base64url'),
  hex: (k, r) => Buffer.from(str(r, 'q', int(r, 0, 3)) + k).toString('hex'),
  'hex-upper': (k) => Buffer.from(k).toString('hex').toUpperCase(),
};

/** Every way the output could still hold the key, decoded independently of the redactor. */
function decodings(text: string): string[] {
  const out = [text, text.toLowerCase()];
  out.push(text.replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))));
  out.push(text.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))));
  for (const run of text.match(/[A-Za-z0-9+/_-]{8,}/g) ?? []) {
    for (let skip = 0; skip < 4; skip++) out.push(Buffer.from(run.slice(skip).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1'));
  }
  for (const run of text.match(/[0-9a-fA-F]{8,}/g) ?? []) {
    for (let skip = 0; skip < 2; skip++) out.push(Buffer.from(run.slice(skip), 'hex').toString('latin1'));
  }
  return out;
}

function leakedPiece(output: string, key: string): string | undefined {
  const lowerKey = key.toLowerCase();
  for (const decoded of decodings(output)) {
    const d = decoded.toLowerCase();
    for (let i = 0; i + MIN_FRAGMENT <= lowerKey.length; i++) {
      const piece = lowerKey.slice(i, i + MIN_FRAGMENT);
      // The public prefix of an OpenRouter key is not a secret.
      if (key.startsWith('sk-or-v1-') && i + MIN_FRAGMENT <= 9) continue;
      if (d.includes(piece)) return piece;
    }
  }
  return undefined;
}

describe('Redactor, property-based over encodings of a random stored key', () => {
  for (const [name, encode] of Object.entries(encoders)) {
    it(`scrubs the ${name} form (${RUNS} random keys)`, () => {
      const r = rng(SEED ^ name.length * 7919);
      for (let run = 0; run < RUNS; run++) {
        const key = randomKey(r);
        const redactor = new Redactor();
        redactor.addSecret(key);
        const text = `${context(r)}${encode(key, r)}${context(r)}`;
        const out = redactor.redact(text);
        const leak = leakedPiece(out, key);
        assert.equal(leak, undefined, `seed ${SEED} run ${run}: "${leak}" of key ${JSON.stringify(key)} survived in ${JSON.stringify(out)}`);
      }
    });
  }

  it(`scrubs a key split across two log lines at any point (${RUNS} random keys)`, () => {
    const r = rng(SEED + 1);
    for (let run = 0; run < RUNS; run++) {
      const key = r() < 0.5 ? randomKey(r) : randomKey(r).toUpperCase();
      const redactor = new Redactor();
      redactor.addSecret(key);
      const at = int(r, 1, key.length - 1);
      const lines = [`${context(r)}${key.slice(0, at)}`, `${key.slice(at)}${context(r)}`].map((l) => redactor.redact(l));
      for (const line of lines) {
        const leak = leakedPiece(line, key);
        assert.equal(leak, undefined, `seed ${SEED} run ${run}: "${leak}" survived in ${JSON.stringify(line)}`);
      }
    }
  });

  it('leaves text without the key alone, and keeps a key-free line byte for byte', () => {
    const r = rng(SEED + 2);
    for (let run = 0; run < RUNS; run++) {
      const redactor = new Redactor();
      redactor.addSecret(randomKey(r));
      const text = context(r);
      assert.equal(redactor.redact(text), text);
    }
  });
});
