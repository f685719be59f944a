/**
 * Huge content in a real browser: a very long reply or message opens collapsed (only a
 * bounded preview is drawn), "show all" draws the rest, copy still takes the whole text,
 * and a reply that was seen streaming is never collapsed afterwards.
 */
import * as assert from 'node:assert/strict';
import { pagePerTest, type WebviewPage } from './harness';
import { assistantEntry, conversation, snapshot, userEntry } from './fixtures';

const COLLAPSE_AT = 100_000;
const PREVIEW_CHARS = 40_000;
const END = 'THE-LAST-LINE';

/** Plain paragraphs (cheap to render) past the collapse threshold, ending with a marker. */
function longText(chars: number): string {
  const paragraph = 'Streaming parsers keep a small amount of state between chunks and a decoder for half a sequence.\n\n';
  return paragraph.repeat(Math.ceil(chars / paragraph.length)) + END;
}

describe('long content', function () {
  this.timeout(180_000);
  let p: WebviewPage;
  pagePerTest((page) => (p = page));

  const drawn = (id: string, part: string): Promise<number> =>
    p.page.locator(`article[data-id="${id}"] ${part}`).evaluate((el) => el.textContent?.length ?? 0);
  const has = (id: string, part: string, text: string): Promise<boolean> =>
    p.page.locator(`article[data-id="${id}"] ${part}`).evaluate((el, t) => el.textContent?.includes(t) ?? false, text);
  /** Waits (polling: drawing a long reply takes many tasks) until the newest entry's text holds `text`. */
  const lastEntryShows = (text: string) =>
    p.page.waitForFunction(
      (end) =>
        [...document.querySelectorAll('nt-app')].some((app) =>
          app.shadowRoot?.querySelector('nt-transcript')?.shadowRoot?.querySelector('nt-entry:last-of-type')?.shadowRoot?.querySelector('.md')?.textContent?.includes(end),
        ),
      text,
      { timeout: 150_000, polling: 250 },
    );

  it('opens a very long reply collapsed to a bounded preview; "show all" draws the rest', async () => {
    const reply = longText(COLLAPSE_AT + 60_000);
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u1', 'Print it all.'), assistantEntry('a1', reply)]) }) });
    const article = p.page.locator('article[data-id="a1"]');
    await article.getByRole('button', { name: 'show all' }).waitFor();
    assert.ok((await drawn('a1', '.md')) <= PREVIEW_CHARS, 'only the preview is drawn');
    assert.equal(await has('a1', '.md', END), false);
    const note = (await article.locator('.collapsed-note').textContent()) ?? '';
    assert.match(note, /\d+ k characters more not shown/);
    await article.getByRole('button', { name: 'show all' }).click();
    await lastEntryShows(END);
    assert.equal(await article.getByRole('button', { name: 'show all' }).count(), 0, 'nothing is hidden any more');
    assert.ok((await drawn('a1', '.md')) > COLLAPSE_AT);
  });

  it('bounds a very long user message the same way', async () => {
    const pasted = longText(COLLAPSE_AT + 20_000);
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u1', pasted), assistantEntry('a1', 'Read it.')]) }) });
    const article = p.page.locator('article[data-id="u1"]');
    assert.ok((await drawn('u1', '.plain')) <= PREVIEW_CHARS);
    await article.getByRole('button', { name: 'show all' }).click();
    await p.settle();
    assert.equal(await drawn('u1', '.plain'), pasted.length);
  });

  it('copies the whole reply even while it is collapsed', async () => {
    const reply = longText(COLLAPSE_AT + 10_000);
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u1', 'Go.'), assistantEntry('a1', reply)]) }) });
    await p.page.locator('article[data-id="a1"]').getByRole('button', { name: 'copy' }).click();
    const [copy] = await p.postedOf('editor/copyText');
    assert.equal(copy?.text.length, reply.length);
  });

  it('never collapses a reply it saw streaming', async () => {
    const streaming = assistantEntry('a9', '', { status: 'streaming', completionTokens: undefined, cost: undefined });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u9', 'hi'), streaming], { streamingId: 'a9' }) }) });
    const whole = longText(COLLAPSE_AT + 5_000);
    for (let at = 0; at < whole.length; at += 30_000) {
      await p.post({ type: 'chat/stream', conversationId: 'c1', messageId: 'a9', content: whole.slice(at, at + 30_000), reasoning: '' });
    }
    await p.post({ type: 'chat/conversation', conversation: conversation([userEntry('u9', 'hi'), assistantEntry('a9', whole)]) });
    assert.equal(await p.page.locator('article[data-id="a9"]').getByRole('button', { name: 'show all' }).count(), 0);
    await lastEntryShows(END);
  });
});
