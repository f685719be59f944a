/**
 * Notices as the seed's error matrix: countdowns, remedies per kind, alert vs status roles,
 * actions and dismissal — and never in the way of typing.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage } from './harness';
import { snapshot } from './fixtures';
import type { Notice } from '../../src/shared/protocol';

const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('notices', function () {
  let p: WebviewPage;

  beforeEach(async () => {
    p = await WebviewPage.open();
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
  });
  afterEach(async () => {
    assert.deepEqual(p.errors, [], 'the page logged errors');
    await p.close();
  });

  it('counts a 429 cooldown down to the retry time', async () => {
    const retryAt = Date.now() + 5_000;
    await p.post({ type: 'notice/list', notices: [{ id: 'n1', severity: 'warning', kind: 'rate_limited', message: 'Rate limited by OpenRouter.', retryAt }] });
    const timer = p.page.getByRole('timer');
    const seconds = async () => Number(/retrying in (\d+) s/.exec((await timer.textContent()) ?? '')?.[1]);
    const first = await seconds();
    assert.ok(first >= 4 && first <= 5, `starts near 5 s, got ${first}`);
    await p.page.waitForFunction(
      (start) => {
        const t = document.querySelector('nt-app')?.shadowRoot?.querySelector('nt-notices')?.shadowRoot?.querySelector('[role="timer"]');
        const n = Number(/retrying in (\d+) s/.exec(t?.textContent ?? '')?.[1]);
        return n < start;
      },
      first,
      { timeout: 5_000 },
    );
    assert.ok((await seconds()) < first, 'the countdown goes down');
  });

  it('puts errors in an alert region and warnings and info in a status region', async () => {
    const notices: Notice[] = [
      { id: 'e1', severity: 'error', kind: 'unauthorized', message: 'The OpenRouter API key is missing or invalid.' },
      { id: 'w1', severity: 'warning', kind: 'context_length', message: 'The conversation is longer than this model’s context window.' },
    ];
    await p.post({ type: 'notice/list', notices });
    assert.match(squash(await p.page.getByRole('alert').textContent()), /API key is missing or invalid/);
    assert.match(squash(await p.page.locator('nt-notices [role="status"]').textContent()), /context window/);
  });

  it('offers each kind its remedy when the host sends no actions', async () => {
    const notices: Notice[] = [
      { id: 'ctx', severity: 'warning', kind: 'context_length', message: 'Too long for the context window.' },
      { id: 'stall', severity: 'info', kind: 'stalled', message: 'Nothing has arrived for 30 s.' },
      { id: 'key', severity: 'error', kind: 'unauthorized', message: 'The key is invalid.' },
      { id: 'down', severity: 'warning', kind: 'unavailable', message: 'No provider can serve this model.' },
      { id: 'money', severity: 'error', kind: 'no_credits', message: 'Not enough credits: the balance covers about 120 tokens.' },
    ];
    await p.post({ type: 'notice/list', notices });
    // Five notices collapse to the newest two; the toggle shows the rest.
    assert.equal(await p.page.locator('nt-notices li').count(), 2);
    await p.page.getByRole('button', { name: '3 more notices' }).click();
    const notice = (id: string) => p.page.locator(`nt-notices li[data-id="${id}"]`);
    await notice('ctx').getByRole('button', { name: 'Summarize' }).click();
    assert.match(squash(await notice('stall').textContent()), /^› model is thinking Nothing has arrived for 30 s\. Cancel ×$/);
    await notice('stall').getByRole('button', { name: 'Cancel' }).click();
    await notice('key').getByRole('button', { name: 'Set API key' }).click();
    await notice('down').getByRole('button', { name: 'Switch model' }).click();
    await notice('money').getByRole('button', { name: 'Lower max tokens' }).click();
    assert.deepEqual(
      (await p.postedOf('notice/act')).map((m) => [m.noticeId, m.action]),
      [
        ['ctx', 'summarize'],
        ['stall', 'cancel'],
        ['key', 'setApiKey'],
        ['down', 'switchModel'],
        ['money', 'lowerMaxTokens'],
      ],
    );
  });

  it('uses the host’s actions, with their argument, and dismisses on ×', async () => {
    await p.post({
      type: 'notice/list',
      notices: [
        {
          id: 'n503',
          severity: 'warning',
          kind: 'unavailable',
          message: 'No provider can serve anthropic/claude-opus-4 right now.',
          actions: [
            { action: 'switchModel', label: 'Switch to openai/gpt-4.1', arg: 'openai/gpt-4.1' },
            { action: 'retry', label: 'Retry' },
          ],
        },
        { id: 'n403', severity: 'error', kind: 'moderation', message: 'The message was flagged by moderation: violence, harassment.' },
      ],
    });
    await p.page.getByRole('button', { name: 'Switch to openai/gpt-4.1' }).click();
    await p.page.locator('nt-notices li[data-id="n403"]').getByRole('button', { name: 'Dismiss' }).click();
    assert.deepEqual(await p.postedOf('notice/act'), [{ type: 'notice/act', noticeId: 'n503', action: 'switchModel', arg: 'openai/gpt-4.1' }]);
    assert.deepEqual(await p.postedOf('notice/dismiss'), [{ type: 'notice/dismiss', noticeId: 'n403' }]);
    assert.match(squash(await p.page.getByRole('alert').textContent()), /flagged by moderation: violence, harassment/);
  });

  it('gives a failure one Retry (the message’s own) and lets success feedback go away by itself', async () => {
    await p.post({
      type: 'notice/list',
      notices: [
        { id: 'stop', severity: 'info', kind: 'cancelled', message: 'Reply cancelled; the partial text was kept.', conversationId: 'c1', messageId: 'a3', actions: [{ action: 'retry', label: 'Retry' }] },
        { id: 'f1', severity: 'error', kind: 'provider', message: 'Provider disconnected.', conversationId: 'c1', messageId: 'a2', actions: [{ action: 'switchModel', label: 'Switch Model' }, { action: 'retry', label: 'Retry' }] },
        { id: 'ok', severity: 'info', kind: 'forked', message: 'Forked into “fork at 14:02 · hello”.' },
      ],
    });
    const failure = p.page.locator('nt-notices li[data-id="f1"]');
    assert.equal(await failure.getByRole('button', { name: 'Retry' }).count(), 0, 'the failed entry has the Retry');
    assert.equal(await failure.getByRole('button', { name: 'Switch Model' }).count(), 1);
    await p.waitForPosted((m) => m.type === 'notice/dismiss' && m.noticeId === 'stop', 10_000);
    assert.deepEqual(
      (await p.postedOf('notice/dismiss')).map((m) => m.noticeId).sort(),
      ['ok', 'stop'],
      'the success notice and the cancel confirmation fade; the failure stays',
    );
  });

  it('never takes focus: typing goes on while notices arrive', async () => {
    const box = p.page.getByRole('textbox', { name: 'Message' });
    await box.click();
    await p.page.keyboard.type('half a ');
    await p.post({ type: 'notice/list', notices: [{ id: 'e', severity: 'error', kind: 'no_credits', message: 'Your OpenRouter credits are used up.' }] });
    await p.page.keyboard.type('sentence');
    assert.equal(await box.inputValue(), 'half a sentence');
    assert.equal(await box.evaluate((el) => el.matches(':focus')), true);
  });
});
