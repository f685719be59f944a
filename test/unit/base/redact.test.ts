import { strict as assert } from 'node:assert';
import { Redactor } from '../../../src/extension/base/redact';
import { checkApiKey, maskApiKey } from '../../../src/extension/core/apiKey';

describe('Redactor', () => {
  it('redacts OpenRouter-shaped keys it was never told about', () => {
    const r = new Redactor();
    const out = r.redact('request failed for sk-or-v1-0123456789abcdef0123456789abcdef');
    assert.equal(out, 'request failed for [REDACTED]');
  });

  it('redacts bearer tokens but keeps the word Bearer for context', () => {
    const r = new Redactor();
    assert.equal(r.redact('Authorization: Bearer abc.def-123456789'), 'Authorization: Bearer [REDACTED]');
  });

  it('redacts a registered secret of any shape wherever it appears', () => {
    const r = new Redactor();
    r.addSecret('hunter2-custom-key');
    assert.equal(r.redact('x=hunter2-custom-key;y=hunter2-custom-key'), 'x=[REDACTED];y=[REDACTED]');
  });

  it('leaves ordinary text alone', () => {
    const r = new Redactor();
    r.addSecret('abc'); // too short to be a key: ignored so words survive
    assert.equal(r.redact('abc sky-blue task'), 'abc sky-blue task');
  });
});

describe('checkApiKey', () => {
  it('refuses an empty or whitespace-only key with a reason', () => {
    for (const bad of ['', '   ', '\n\t', undefined]) {
      const c = checkApiKey(bad);
      assert.equal(c.ok, false);
      if (!c.ok) assert.match(c.reason, /empty/);
    }
  });

  it('refuses keys with inner whitespace', () => {
    assert.equal(checkApiKey('sk-or-v1 abc').ok, false);
  });

  it('refuses keys with anything but printable ASCII (they would trip the circuit breaker later)', () => {
    for (const bad of ['sk-or-v1-abcdé123', 'sk-or-v1-аbc123' /* Cyrillic a */, 'sk-or-v1-abc\u00a0123', 'sk-or-v1-🔑123', 'sk-or-v1-\u202eabc']) {
      const c = checkApiKey(bad);
      assert.equal(c.ok, false, bad);
      if (!c.ok) assert.match(c.reason, /printable ASCII|spaces/);
    }
  });

  it('trims and accepts a plausible key', () => {
    assert.deepEqual(checkApiKey('  sk-or-v1-abc123  '), { ok: true, key: 'sk-or-v1-abc123' });
  });

  it('masks a key leaving only a short prefix and suffix', () => {
    assert.equal(maskApiKey('sk-or-v1-abcdefghijkl1234'), 'sk-or-…1234');
  });
});
