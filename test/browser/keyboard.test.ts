/**
 * Keyboard and focus in a real browser: the transcript is one Tab stop (the current entry), Tab
 * walks that entry's own controls and then leaves the log; focus lands where the reader expects
 * after a regenerate, a branch switch and a fork; focusing the view focuses the message box; one
 * visible 2 px ring.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage } from './harness';
import { assistantEntry, conversation, richConversation, snapshot, userEntry } from './fixtures';
import { focusedElement, type FocusReport } from './focus';

/** The element that really has focus, through shadow roots (test/browser/focus.ts, shared with the E2E). */
function focused(p: WebviewPage): Promise<FocusReport> {
  return p.page.evaluate(focusedElement);
}

describe('keyboard and focus', function () {
  let p: WebviewPage;

  beforeEach(async () => {
    p = await WebviewPage.open();
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation() }) });
    await p.page.getByRole('log', { name: 'Transcript' }).waitFor();
    await p.settle();
  });
  afterEach(async () => {
    assert.deepEqual(p.errors, [], 'the page logged errors');
    await p.close();
  });

  /** Focuses the element just before the transcript in Tab order by Shift+Tab from the composer until leaving it. */
  async function tabIntoLog(): Promise<void> {
    await p.page.getByRole('textbox', { name: 'Message', exact: true }).focus();
    for (let i = 0; i < 40; i++) {
      await p.page.keyboard.press('Shift+Tab');
      const f = await focused(p);
      // The "↓ latest" button (shown once the reader scrolled up) is the log's one other stop.
      if (f.inTranscript && f.label !== '↓ latest') return;
    }
    assert.fail('Shift+Tab from the message box never reached the transcript');
  }

  it('is one Tab stop: Tab enters on the current entry, walks its actions, then leaves the log', async () => {
    await tabIntoLog();
    const landed = await focused(p);
    assert.equal(landed.tag, 'article', 'Shift+Tab into the log lands on an entry, not on a button in it');
    assert.equal(landed.entry, 'a2', 'the newest entry');
    const stops: string[] = [];
    for (let i = 0; i < 12; i++) {
      await p.page.keyboard.press('Tab');
      const f = await focused(p);
      if (!f.inTranscript) break;
      assert.equal(f.entry, 'a2', `Tab stays inside the current entry (${f.label})`);
      stops.push(f.label);
    }
    assert.deepEqual(stops, ['copy', 'regenerate', 'Fork from here', 'Delete message'], 'only the current entry’s actions are stops');
    assert.equal((await focused(p)).inTranscript, false, 'the next Tab leaves the log');
    await p.page.keyboard.press('Shift+Tab');
    const back = await focused(p);
    assert.deepEqual([back.tag, back.entry], ['article', 'a2'], `Shift+Tab comes back to the entry itself, not its last button (${back.label})`);
  });

  it('moves between entries with the arrow keys and keeps the chosen entry as the Tab stop', async () => {
    await tabIntoLog();
    await p.page.keyboard.press('ArrowUp');
    assert.equal((await focused(p)).entry, 'u2');
    await p.page.keyboard.press('Home');
    assert.equal((await focused(p)).entry, 'u1');
    await p.page.keyboard.press('ArrowDown');
    assert.equal((await focused(p)).entry, 'a1');
    await p.page.keyboard.press('Tab');
    assert.equal((await focused(p)).entry, 'a1', 'Tab goes into the entry the reader chose');
    // Leave and come back: the same entry holds the stop.
    await p.page.getByRole('textbox', { name: 'Message', exact: true }).focus();
    await tabIntoLog();
    const back = await focused(p);
    assert.equal(back.entry, 'a1');
    assert.equal(back.tag, 'article', 'Shift+Tab lands on the entry again, not on its last button');
  });

  it('moves between an entry’s actions with ArrowLeft and ArrowRight', async () => {
    await tabIntoLog();
    await p.page.keyboard.press('Tab');
    assert.equal((await focused(p)).label, 'copy');
    await p.page.keyboard.press('ArrowRight');
    assert.equal((await focused(p)).label, 'regenerate');
    await p.page.keyboard.press('ArrowLeft');
    await p.page.keyboard.press('ArrowLeft');
    assert.equal((await focused(p)).label, 'Delete message', 'wraps around');
  });

  it('puts focus on the new reply after regenerate', async () => {
    await tabIntoLog();
    await p.page.keyboard.press('Tab');
    await p.page.keyboard.press('ArrowRight');
    assert.equal((await focused(p)).label, 'regenerate');
    await p.page.keyboard.press('Enter');
    await p.waitForPosted((m) => JSON.stringify(m).includes('regenerate'));
    const base = richConversation().entries.slice(0, 3);
    const streaming = assistantEntry('a3', '', { status: 'streaming', completionTokens: undefined, cost: undefined, parentId: 'u2' });
    await p.post({ type: 'chat/conversation', conversation: conversation([...base, streaming], { streamingId: 'a3' }) });
    await p.settle();
    const f = await focused(p);
    assert.equal(f.entry, 'a3', 'focus is on the reply that replaced the old one');
    assert.equal(f.tag, 'article');
  });

  it('keeps focus on the branch control after a branch switch', async () => {
    await tabIntoLog();
    await p.page.keyboard.press('Home');
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('Tab');
    assert.equal((await focused(p)).label, 'Previous branch');
    await p.page.keyboard.press('Tab');
    assert.equal((await focused(p)).label, 'Next branch');
    await p.page.keyboard.press('Enter');
    await p.waitForPosted((m) => JSON.stringify(m).includes('a1-next'));
    const [u1] = richConversation().entries;
    const sibling = assistantEntry('a1-next', 'The third answer.', { branch: { index: 3, count: 3, prevId: 'a1' }, parentId: 'u1' });
    await p.post({ type: 'chat/conversation', conversation: conversation([u1!, sibling]) });
    await p.settle();
    const f = await focused(p);
    assert.equal(f.entry, 'a1-next');
    assert.equal(f.label, 'Previous branch', 'the same control where it still works, else the entry (Next is disabled on the last branch)');
  });

  it('puts focus in the message box when a fork opens another conversation', async () => {
    await tabIntoLog();
    await p.page.keyboard.press('Tab');
    await p.page.keyboard.press('ArrowRight');
    await p.page.keyboard.press('ArrowRight');
    assert.equal((await focused(p)).label, 'Fork from here');
    await p.page.keyboard.press('Enter');
    await p.waitForPosted((m) => JSON.stringify(m).includes('fork'));
    await p.post({ type: 'chat/conversation', conversation: conversation([userEntry('f-u1', 'copied'), assistantEntry('f-a1', 'copied reply')], { id: 'c2' }) });
    await p.settle();
    const f = await focused(p);
    assert.equal(f.tag, 'textarea', `the message box, ready to type in the fork (not ${f.label})`);
  });

  it('focuses the message box when the view is focused with nothing focused inside', async () => {
    await p.page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.dispatchEvent(new FocusEvent('focus'));
    });
    assert.equal((await focused(p)).tag, 'textarea');
  });

  it('draws one focus ring of at least 2 px: buttons, entries, and the message box (field only)', async () => {
    await tabIntoLog();
    await p.page.keyboard.press('Tab');
    const ring = await p.page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      const s = getComputedStyle(el as Element);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    assert.equal(ring.style, 'solid');
    assert.ok(ring.width >= 2, `ring ${ring.width}px`);
    await p.page.getByRole('textbox', { name: 'Message', exact: true }).focus();
    await p.page.keyboard.press('End');
    const box = await p.page.evaluate(() => {
      let el: Element | null = document.activeElement;
      const chain: Element[] = [];
      while (el?.shadowRoot?.activeElement) {
        el = el.shadowRoot.activeElement;
        chain.push(el);
      }
      const area = el as HTMLElement;
      const field = area.closest('.field') as HTMLElement;
      const a = getComputedStyle(area);
      const f = getComputedStyle(field);
      return { areaOutline: a.outlineStyle, fieldBorder: parseFloat(f.borderTopWidth), fieldShadow: f.boxShadow };
    });
    assert.equal(box.areaOutline, 'none', 'the textarea draws no ring of its own');
    assert.ok(box.fieldBorder >= 1 && /1px/.test(box.fieldShadow), `field ring: ${box.fieldBorder}px border + ${box.fieldShadow}`);
  });
});
