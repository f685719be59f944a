/**
 * The transcript in a real browser: log entries with metadata, streaming with the block cursor,
 * one announcement per finished reply, branch switching, per-entry actions, retry, reveal and
 * windowing of long conversations.
 */
import * as assert from 'node:assert/strict';
import { pagePerTest, WebviewPage } from './harness';
import { assistantEntry, conversation, entry, richConversation, snapshot, userEntry } from './fixtures';

const text = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('transcript', function () {
  let p: WebviewPage;
  pagePerTest((page) => (p = page));

  it('is a log named "Transcript" with one article per entry', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation() }) });
    const log = p.page.getByRole('log', { name: 'Transcript' });
    await log.waitFor();
    assert.equal(await log.locator('article').count(), 4);
  });

  it('shows a metadata line with time, role, model, tokens in/out, cost, latency, TTFT and rate', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation() }) });
    const meta = text(await p.page.locator('article[data-id="a1"] .meta').textContent());
    assert.match(meta, /^◀ 2\/3 ▶ \[\d\d:\d\d:\d\d\] ASSISTANT · anthropic\/claude-sonnet-4 · /);
    assert.ok(meta.endsWith('· 1,204 in → 812 out · $0.0123 · 1.9 s · ttft 340 ms · 42 tok/s'), meta);
    const estimated = text(await p.page.locator('article[data-id="a2"] .meta').textContent());
    assert.match(estimated, /\$0\.0041 \(est\.\)/, 'an estimated cost is labelled as an estimate');
    const user = text(await p.page.locator('article[data-id="u1"] .meta').textContent());
    assert.match(user, /^\[\d\d:\d\d:\d\d\] USER · 14 tok$/);
  });

  it('appends streamed deltas to the streaming entry and shows the cursor until the reply completes', async () => {
    const streaming = assistantEntry('a9', '', { status: 'streaming', completionTokens: undefined, cost: undefined });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u9', 'hi'), streaming], { streamingId: 'a9' }) }) });
    const article = p.page.locator('article[data-id="a9"]');
    assert.equal(await article.getAttribute('aria-busy'), 'true');
    for (const piece of ['Hello', ', wor', 'ld']) {
      await p.post({ type: 'chat/stream', conversationId: 'c1', messageId: 'a9', content: piece, reasoning: '' });
    }
    assert.equal(text(await article.locator('.md').textContent()), 'Hello, world');
    const cursor = () =>
      article.locator('.md').evaluate((md) => {
        const last = md.lastElementChild ?? md;
        return getComputedStyle(last, '::after').content;
      });
    assert.notEqual(await cursor(), 'none', 'a block cursor follows the text while streaming');
    const blink = () =>
      article.locator('.md').evaluate((md) => getComputedStyle(md.lastElementChild ?? md, '::after').animationName);
    // Solid while text arrives (a blink restarted every frame cost style work), blinking while it waits.
    assert.equal(await blink(), 'none', 'the cursor is solid while text arrives');
    await p.page.waitForFunction(() => {
      const md = document.querySelector('nt-app')?.shadowRoot?.querySelector('nt-transcript')?.shadowRoot?.querySelector('nt-entry:last-of-type')?.shadowRoot?.querySelector('.md');
      return md?.lastElementChild && getComputedStyle(md.lastElementChild, '::after').animationName === 'nt-blink';
    });
    await p.post({ type: 'chat/stream', conversationId: 'c1', messageId: 'a9', content: '!', reasoning: '' });
    assert.equal(await blink(), 'none', 'new text makes it solid again');

    await p.post({
      type: 'chat/conversation',
      conversation: conversation([userEntry('u9', 'hi'), assistantEntry('a9', 'Hello, world!')]),
    });
    assert.equal(await article.getAttribute('aria-busy'), 'false');
    assert.equal(await cursor(), 'none', 'the cursor is gone once the reply is complete');
    assert.equal(text(await article.locator('.md').textContent()), 'Hello, world!', 'the host text replaces the streamed text');
  });

  it('shows the first text after a pause in the next frame, and a fast stream at most every third frame', async () => {
    const streaming = assistantEntry('a9', '', { status: 'streaming' });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u9', 'hi'), streaming], { streamingId: 'a9' }) }) });
    const result = await p.page.evaluate(
      () =>
        new Promise<{ firstShown: boolean; frames: number; updates: number; shown: number; sent: number }>((done) => {
          const md = () =>
            document.querySelector('nt-app')?.shadowRoot?.querySelector('nt-transcript')?.shadowRoot?.querySelector('nt-entry:last-of-type')?.shadowRoot?.querySelector('.md');
          const length = () => md()?.textContent?.length ?? 0;
          const post = (content: string) => window.postMessage({ type: 'chat/stream', conversationId: 'c1', messageId: 'a9', content, reasoning: '' }, '*');
          post('First. ');
          // The message task, then the next frame: a delta after a pause is not held back.
          setTimeout(() =>
            requestAnimationFrame(() =>
              setTimeout(() => {
                const firstShown = length() >= 'First. '.length;
                // Then one delta every frame, as a fast model brings them: count the frames the text grew in.
                let frames = 0;
                let updates = 0;
                let last = length();
                let sent = 0;
                const frame = () => {
                  const now = length();
                  if (now !== last) updates++;
                  last = now;
                  if (sent < 40) {
                    frames++;
                    post('word ');
                    sent++;
                    requestAnimationFrame(frame);
                  } else done({ firstShown, frames, updates, shown: now, sent });
                };
                requestAnimationFrame(frame);
              }, 0),
            ),
          );
        }),
    );
    assert.ok(result.firstShown, 'the first delta after a pause is shown in the next frame');
    assert.ok(result.updates >= 2, `the text grows while the stream runs (${result.updates} updates)`);
    assert.ok(result.updates <= Math.ceil(result.frames / 3) + 1, `${result.updates} updates in ${result.frames} frames: at most one every third frame`);
    await p.settle(true);
    assert.equal(text(await p.page.locator('article[data-id="a9"] .md').textContent()), `First. ${'word '.repeat(result.sent)}`.trim(), 'nothing is lost');
  });

  it('announces a finished reply once through a polite live region, never per token', async () => {
    const streaming = assistantEntry('a9', '', { status: 'streaming' });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u9', 'hi'), streaming]) }) });
    const region = p.page.locator('nt-transcript [role="status"][aria-live="polite"]');
    await p.post({ type: 'chat/stream', conversationId: 'c1', messageId: 'a9', content: 'Partial **text**', reasoning: '' });
    assert.equal(text(await region.textContent()), '', 'nothing is announced while tokens stream');
    assert.equal(await p.page.getByRole('log').getAttribute('aria-live'), 'off', 'the log itself does not read tokens');
    await p.post({ type: 'chat/conversation', conversation: conversation([userEntry('u9', 'hi'), assistantEntry('a9', 'Partial **text** done.')]) });
    await p.page.waitForFunction(() => {
      const t = document.querySelector('nt-app')?.shadowRoot?.querySelector('nt-transcript')?.shadowRoot?.querySelector('[role="status"]');
      return (t?.textContent ?? '').includes('done');
    });
    const first = text(await region.textContent());
    assert.match(first, /^Reply from anthropic\/claude-sonnet-4\. Partial text done\.$/);
    await p.post({ type: 'chat/conversation', conversation: conversation([userEntry('u9', 'hi'), assistantEntry('a9', 'Partial **text** done.', { cost: '0.02' })]) });
    assert.equal(text(await region.textContent()), first, 'a later update of the same reply is not announced again');
  });

  it('switches branches with the ◀ ▶ buttons and with the arrow keys', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation() }) });
    const group = p.page.getByRole('group', { name: 'Branch 2 of 3' });
    await group.getByRole('button', { name: 'Previous branch' }).click();
    await group.getByRole('button', { name: 'Next branch' }).click();
    await group.getByRole('button', { name: 'Next branch' }).focus();
    await p.page.keyboard.press('ArrowLeft');
    const sent = (await p.postedOf('chat/switchBranch')).map((m) => m.messageId);
    assert.deepEqual(sent, ['a1-prev', 'a1-next', 'a1-prev']);
  });

  it('offers copy, regenerate and fork on replies and edit & resend on user messages', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation() }) });
    const reply = p.page.locator('article[data-id="a2"]');
    await reply.getByRole('button', { name: 'copy' }).click();
    await reply.getByRole('button', { name: 'regenerate' }).click();
    await reply.getByRole('button', { name: 'Fork from here' }).click();
    await reply.getByRole('button', { name: 'Delete message' }).click();
    const user = p.page.locator('article[data-id="u2"]');
    await user.getByRole('button', { name: 'Edit and resend' }).click();
    const box = user.getByRole('textbox', { name: 'Edit message' });
    await box.fill('And with lone CR?');
    await box.press('Enter');
    const posted = await p.posted();
    assert.deepEqual(
      posted.filter((m) => m.type !== 'view/ready'),
      [
        { type: 'editor/copyText', text: richConversation().entries[3]!.content },
        { type: 'chat/regenerate', messageId: 'a2' },
        { type: 'chat/fork', messageId: 'a2' },
        { type: 'chat/deleteMessage', messageId: 'a2' },
        { type: 'chat/editAndResend', messageId: 'u2', text: 'And with lone CR?' },
      ],
    );
  });

  it('marks failed and partial replies and offers Retry', async () => {
    await p.post({
      type: 'view/snapshot',
      snapshot: snapshot({
        conversation: conversation([
          userEntry('u1', 'q'),
          assistantEntry('a1', 'half an ans', { status: 'partial', error: { kind: 'cut_off', message: 'The connection closed before the reply finished.' } }),
          userEntry('u2', 'q2'),
          assistantEntry('a2', '', { status: 'failed', error: { kind: 'stalled', message: 'The reply stalled: nothing arrived for 30 s.' } }),
          userEntry('u3', 'q3'),
          assistantEntry('a3', 'stopped by', { status: 'partial', finishReason: 'cancelled' }),
          userEntry('u4', 'q4'),
          assistantEntry('a4', 'cut', { status: 'partial' }),
        ]),
      }),
    });
    const partial = p.page.locator('article[data-id="a1"] .problem');
    assert.match(text(await partial.textContent()), /^PARTIAL The connection closed before the reply finished\. Retry$/);
    // A cancel says who stopped it; a reply cut short with no reason on record says only that.
    assert.match(text(await p.page.locator('article[data-id="a3"] .problem').textContent()), /^PARTIAL You cancelled this reply; the text that arrived was kept\. Retry$/);
    assert.match(text(await p.page.locator('article[data-id="a4"] .problem').textContent()), /^PARTIAL The reply stopped before it finished\. Retry$/);
    const failed = p.page.locator('article[data-id="a2"] .problem');
    assert.match(text(await failed.textContent()), /^FAILED The reply stalled/);
    await failed.getByRole('button', { name: 'Retry' }).click();
    await partial.getByRole('button', { name: 'Retry' }).click();
    assert.deepEqual((await p.postedOf('chat/retry')).map((m) => m.messageId), ['a2', 'a1']);
    // One Retry per failure: no "regenerate" beside it on the failed or partial reply.
    for (const id of ['a1', 'a2']) assert.equal(await p.page.locator(`article[data-id="${id}"]`).locator('button', { hasText: 'regenerate' }).count(), 0);
  });

  it('moves between entries with the arrow keys', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation() }) });
    await p.page.getByRole('log', { name: 'Transcript' }).focus();
    await p.page.keyboard.press('Home');
    const focused = () => p.page.evaluate(() => {
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a?.getAttribute('data-id') ?? null;
    });
    assert.equal(await focused(), 'u1');
    await p.page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'a1');
    await p.page.keyboard.press('End');
    assert.equal(await focused(), 'a2');
  });

  it('renders only the newest entries of a 5,000-message conversation and pages older ones in', async () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      i % 2 === 0 ? userEntry(`m${i}`, `question ${i}`) : assistantEntry(`m${i}`, `answer **${i}**`),
    );
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation(many) }) });
    const rendered = await p.page.locator('nt-entry').count();
    assert.ok(rendered > 0 && rendered < 200, `rendered ${rendered} entries`);
    // Scrolling the button into view may page in by itself; either way, whole pages of 50 arrive.
    await p.page.getByRole('button', { name: `show ${5000 - rendered} earlier entries` }).click();
    await p.settle();
    const after = await p.page.locator('nt-entry').count();
    assert.ok(after > rendered && (after - rendered) % 50 === 0, `${rendered} → ${after} entries`);
    assert.ok(await p.page.getByRole('button', { name: `show ${5000 - after} earlier entries` }).isVisible());
  });

  it('pages older entries in as the reader scrolls up, keeping the entry they were reading in place', async () => {
    const many = Array.from({ length: 600 }, (_, i) => userEntry(`m${i}`, `line ${i}`));
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation(many) }) });
    const before = await p.page.locator('nt-entry').count();
    const log = p.page.getByRole('log', { name: 'Transcript' });
    await log.evaluate((el) => {
      el.scrollTop = 120;
    });
    const oldest = p.page.locator(`article[data-id="m${600 - before}"]`);
    const y0 = (await oldest.boundingBox())?.y;
    await p.page.waitForFunction((n) => (document.querySelector('nt-app')?.shadowRoot?.querySelector('nt-transcript')?.shadowRoot?.querySelectorAll('nt-entry').length ?? 0) > n, before);
    await p.settle();
    const y1 = (await oldest.boundingBox())?.y;
    assert.ok(y0 !== undefined && y1 !== undefined && Math.abs(y1 - y0) < 4, `the entry moved from ${y0} to ${y1}`);
  });

  it('reveals an old entry on request: pages it in, scrolls to it and highlights it', async () => {
    const many = Array.from({ length: 400 }, (_, i) => userEntry(`m${i}`, `line ${i}`));
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation(many) }) });
    await p.post({ type: 'chat/reveal', messageId: 'm3' });
    const target = p.page.locator('nt-entry:has(article[data-id="m3"])');
    await target.waitFor();
    assert.equal(await target.getAttribute('revealed'), '');
    assert.ok(await target.isVisible());
    assert.ok(await target.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    }), 'the revealed entry is in view');
  });

  it('keeps the cursor still when the reader prefers reduced motion', async () => {
    await p.close();
    p = await WebviewPage.open({ reducedMotion: 'reduce' });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([entry({ id: 'a1', status: 'streaming', content: 'tok' })]) }) });
    const animation = await p.page
      .locator('article[data-id="a1"] .md')
      .evaluate((md) => getComputedStyle(md.lastElementChild ?? md, '::after').animationName);
    assert.equal(animation, 'none');
  });
});
