import * as assert from 'node:assert/strict';
import type { Notice } from '../../../src/shared/protocol';
import { checkNoticeAction, escapeBidi, judgeLink, MAX_LINK_LENGTH, sanitizeLogLine } from '../../../src/extension/core/intentGuards';

const budgetNotice: Notice = {
  id: 'n-budget',
  severity: 'warning',
  kind: 'refused_budget_confirm',
  message: 'Send anyway?',
  actions: [{ action: 'overrideBudget', label: 'Send Anyway' }],
};
const creditsNotice: Notice = {
  id: 'n-credits',
  severity: 'error',
  kind: 'no_credits',
  message: 'Not enough credit.',
  messageId: 'm1',
  actions: [{ action: 'lowerMaxTokens', label: 'Use max 900 tokens', arg: '900' }, { action: 'retry', label: 'Retry' }],
};
const stalled: Notice = { id: 'n-stall', severity: 'info', kind: 'stalled', message: 'Thinking…' };

describe('checkNoticeAction: only actions the host offered, with the host argument', () => {
  const shown = [budgetNotice, creditsNotice, stalled];

  it('refuses a notice the host is not showing', () => {
    const c = checkNoticeAction(shown, 'made-up', 'lowerMaxTokens');
    assert.equal(c.ok, false);
  });

  it('refuses an action the notice does not offer', () => {
    assert.equal(checkNoticeAction(shown, 'n-budget', 'lowerMaxTokens').ok, false);
    assert.equal(checkNoticeAction(shown, 'n-credits', 'overrideBudget').ok, false);
    assert.equal(checkNoticeAction(shown, 'n-stall', 'overrideBudget').ok, false, 'defaults never include overrides');
  });

  it('uses the argument of the offered action (the view cannot choose the number)', () => {
    const c = checkNoticeAction(shown, 'n-credits', 'lowerMaxTokens');
    assert.ok(c.ok);
    assert.equal(c.arg, '900');
  });

  it('accepts the view’s default action for a kind the host sent without actions', () => {
    const c = checkNoticeAction(shown, 'n-stall', 'cancel');
    assert.ok(c.ok);
    assert.equal(c.arg, undefined);
  });
});

describe('sanitizeLogLine: a view cannot forge log lines', () => {
  it('escapes CR, LF, other controls and bidi controls', () => {
    const forged = 'ok\r\n2026-01-01 [error] API key accepted\u0000\u001b[31m\u202e\u2028';
    const line = sanitizeLogLine(forged);
    assert.doesNotMatch(line, /[\r\n\u0000-\u001f\u202e\u2028]/);
    assert.match(line, /ok\\u000d\\u000a2026/);
    assert.match(line, /\\u202e/);
  });

  it('clips very long input', () => {
    assert.ok(sanitizeLogLine('x'.repeat(5000)).length <= 2001);
  });
});

describe('judgeLink', () => {
  it('compares the scheme without case', () => {
    const v = judgeLink('HTTPS://example.com/Path');
    assert.equal(v.kind, 'open');
    if (v.kind === 'open') assert.equal(v.url, 'https://example.com/Path');
    assert.equal(judgeLink('MailTo:a@example.com').kind, 'open');
  });

  it('refuses other schemes, whatever their case', () => {
    for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', 'file:///etc/passwd', 'command:workbench.action.terminal.new', 'vscode://x', 'data:text/html,x']) {
      assert.equal(judgeLink(url).kind, 'refused', url);
    }
    assert.equal(judgeLink('no scheme at all').kind, 'invalid');
  });

  it('shows bidi controls escaped in the text it will show', () => {
    const v = judgeLink('https://example.com/\u202egnp.exe');
    assert.equal(v.kind, 'open');
    if (v.kind === 'open') {
      assert.doesNotMatch(v.shown, /\u202e/);
      assert.match(v.shown, /\\u202egnp\.exe/);
    }
    assert.equal(escapeBidi('a\u2066b\u200fc'), 'a\\u2066b\\u200fc');
  });

  it('turns a link longer than the limit into text instead of dropping it', () => {
    const long = `https://example.com/${'a'.repeat(MAX_LINK_LENGTH)}`;
    const v = judgeLink(long);
    assert.equal(v.kind, 'too-long');
    if (v.kind === 'too-long') {
      assert.equal(v.length, long.length);
      assert.ok(v.shown.startsWith('https://example.com/aaa'));
    }
  });
});
