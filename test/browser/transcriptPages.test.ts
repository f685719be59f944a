/**
 * The windowed transcript in a real browser: the host sends the newest entries of a long
 * conversation and a count of the older ones; the view asks for older pages (`chat/loadEarlier`)
 * from its "show earlier" control, by scrolling to the top, or from the keyboard, and puts each
 * answer in front without moving what the reader is looking at. This test plays the host.
 */
import * as assert from 'node:assert/strict';
import { pagePerTest, type WebviewPage } from './harness';
import { conversation, snapshot, userEntry } from './fixtures';
import type { EntryView } from '../../src/shared/protocol';

const TOTAL = 5000;
const WINDOW = 60;
const path: EntryView[] = Array.from({ length: TOTAL }, (_, i) => userEntry(`m${i}`, `line ${i}`));
const windowed = () => conversation(path.slice(TOTAL - WINDOW), { earlier: TOTAL - WINDOW });

describe('transcript pages from the host', function () {
  let p: WebviewPage;
  pagePerTest((page) => (p = page));

  const rendered = () => p.page.locator('nt-entry').count();
  const earlierButton = () => p.page.getByRole('button', { name: /^show \d+ earlier entries$/ });
  const focusedId = () =>
    p.page.evaluate(() => {
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a?.getAttribute('data-id') ?? a?.textContent?.trim() ?? null;
    });

  /** Answers the page's latest `chat/loadEarlier` as the host would: the entries just before `beforeId`. */
  async function answerEarlier(size = 100): Promise<{ beforeId: string; start: number }> {
    const request = (await p.postedWithIds()).filter((m) => m.type === 'chat/loadEarlier').at(-1) as { requestId: string; beforeId: string; conversationId: string } | undefined;
    assert.ok(request, 'the view asked for older entries');
    assert.equal(request.conversationId, 'c1');
    const end = path.findIndex((e) => e.id === request.beforeId);
    const start = Math.max(0, end - size);
    await p.post({ type: 'chat/earlier', requestId: request.requestId, conversationId: 'c1', beforeId: request.beforeId, entries: path.slice(start, end), earlier: start });
    await p.post({ type: 'host/reply', requestId: request.requestId, ok: true });
    return { beforeId: request.beforeId, start };
  }

  it('counts the host’s older entries in "show earlier" and asks for them once the held ones are drawn', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: windowed() }) });
    const first = await rendered();
    assert.ok(first > 0 && first <= WINDOW, `${first} entries drawn`);
    assert.equal(await earlierButton().textContent().then((t) => t?.trim()), `show ${TOTAL - first} earlier entries`);
    // The held entries are drawn first; the host is asked only once all of them are.
    for (let clicks = 0; (await p.postedOf('chat/loadEarlier')).length === 0; clicks++) {
      assert.ok(clicks < 5, 'the view never asked for older entries');
      await earlierButton().click();
      await p.settle();
    }
    assert.equal(await rendered(), WINDOW);
    assert.deepEqual(await p.postedOf('chat/loadEarlier'), [{ type: 'chat/loadEarlier', conversationId: 'c1', beforeId: `m${TOTAL - WINDOW}` }]);
    const { start } = await answerEarlier();
    assert.equal(await rendered(), WINDOW + 100);
    assert.equal(await earlierButton().textContent().then((t) => t?.trim()), `show ${start} earlier entries`);
    const firstDrawn = await p.page.locator('nt-entry article').first().getAttribute('data-id');
    assert.equal(firstDrawn, `m${start}`);
  });

  it('asks for an older page when the reader scrolls to the top, keeping the entry they were reading in place', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation(path.slice(TOTAL - 20), { earlier: TOTAL - 20 }) }) });
    const log = p.page.getByRole('log', { name: 'Transcript' });
    // The reader scrolls up to the top: every held entry is drawn, so the view asks the host.
    await log.evaluate((el) => {
      el.scrollTop = 0;
    });
    await p.waitForPosted((m) => m.type === 'chat/loadEarlier');
    const reading = p.page.locator(`article[data-id="m${TOTAL - 20}"]`);
    const y0 = (await reading.boundingBox())?.y;
    await answerEarlier();
    const y1 = (await reading.boundingBox())?.y;
    assert.ok(y0 !== undefined && y1 !== undefined && Math.abs(y1 - y0) < 4, `the entry moved from ${y0} to ${y1}`);
    assert.equal(await p.page.locator(`article[data-id="m${TOTAL - 120}"]`).count(), 1, 'the older page is drawn above');
  });

  it('reaches "show earlier" from the keyboard: ArrowUp above the oldest entry, Enter loads, ArrowDown returns', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation(path.slice(TOTAL - 20), { earlier: TOTAL - 20 }) }) });
    await p.page.getByRole('log', { name: 'Transcript' }).focus();
    await p.page.keyboard.press('Home');
    assert.equal(await focusedId(), `m${TOTAL - 20}`);
    await p.page.keyboard.press('ArrowUp');
    assert.equal(await focusedId(), `show ${TOTAL - 20} earlier entries`);
    await p.page.keyboard.press('Enter');
    await p.settle();
    await answerEarlier(50);
    assert.equal(await focusedId(), `show ${TOTAL - 70} earlier entries`, 'focus stays on the control, now above the new page');
    await p.page.keyboard.press('ArrowDown');
    assert.equal(await focusedId(), `m${TOTAL - 70}`, 'down from the control is the oldest entry now drawn');
  });

  it('keeps loaded pages when the host re-sends the newest window, and starts afresh for another conversation', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation(path.slice(TOTAL - 20), { earlier: TOTAL - 20 }) }) });
    await p.page.getByRole('log', { name: 'Transcript' }).evaluate((el) => {
      el.scrollTop = 0;
    });
    await p.waitForPosted((m) => m.type === 'chat/loadEarlier');
    await answerEarlier();
    assert.equal(await rendered(), 120);
    // A new turn: the host sends its newest 20 again, one further on.
    const longer = [...path, userEntry('m5000', 'new turn')];
    await p.post({ type: 'chat/conversation', conversation: conversation(longer.slice(TOTAL + 1 - 20), { earlier: TOTAL + 1 - 20 }) });
    assert.equal(await p.page.locator(`article[data-id="m${TOTAL - 120}"]`).count(), 1, 'the page loaded before is still there');
    assert.ok(await p.page.locator('article[data-id="m5000"]').isVisible(), 'the new turn is in view');
    await p.post({ type: 'chat/conversation', conversation: conversation(path.slice(TOTAL - 20), { id: 'c2', earlier: TOTAL - 20 }) });
    assert.equal(await rendered(), 20, 'another conversation starts from its own window');
  });
});
