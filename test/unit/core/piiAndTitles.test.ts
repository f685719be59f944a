import { strict as assert } from 'node:assert';
import { findPii, luhn, redactPii } from '../../../src/extension/core/piiGuard';
import { titleFromFirstMessage } from '../../../src/extension/core/titles';

describe('piiGuard', () => {
  it('redacts an email, a phone number, an SSN, a card and an API key, and counts each', () => {
    const text =
      'Mail jane.doe@example.com or call +1 415-555-0132. SSN 123-45-6789, card 4111 1111 1111 1111, key sk-or-v1-abcdef0123456789abcdef.';
    const r = redactPii(text);
    assert.doesNotMatch(r.text, /jane|555-0132|123-45-6789|4111|sk-or/);
    assert.deepEqual(r.counts, { email: 1, phone: 1, ssn: 1, card: 1, apiKey: 1 });
  });

  it('leaves numbers that fail the Luhn check alone', () => {
    assert.equal(luhn('4111111111111112'), false);
    assert.equal(findPii('order 4111 1111 1111 1112 shipped').length, 0);
  });

  it('does not flag dates, versions or plain numbers', () => {
    assert.deepEqual(findPii('v1.2.3 released 2026-11-25 with 12345 tests'), []);
  });
});

describe('titleFromFirstMessage', () => {
  it('takes the first meaningful line without markdown', () => {
    assert.equal(titleFromFirstMessage('## Fix the *flaky* test\nmore'), 'Fix the flaky test');
  });

  it('skips code blocks and cuts long lines at a word boundary', () => {
    const t = titleFromFirstMessage('```js\ncode\n```\n' + 'word '.repeat(40));
    assert.ok(t.endsWith('…'));
    assert.ok(t.length <= 61);
    assert.ok(!t.includes('code'));
  });

  it('leaves out the demo endpoint\'s [[scenario:…]] directives', () => {
    assert.equal(titleFromFirstMessage('[[scenario:long]] Explain the  borrow checker'), 'Explain the borrow checker');
    assert.equal(titleFromFirstMessage('[[scenario:slow]]\nWhy is the sky blue? [[scenario:cached]]'), 'Why is the sky blue?');
  });

  it('falls back to a neutral title for empty input', () => {
    assert.equal(titleFromFirstMessage('   \n```\n```'), 'New conversation');
  });
});
