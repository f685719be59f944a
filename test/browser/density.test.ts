/**
 * Density in the narrow sidebar: each entry's header is one line (role · model · cost ·
 * tok/s) with the rest in its tooltip, shown while the entry has focus and always read by
 * screen readers; zen keeps a role marker; the prose font and size settings apply at once.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage } from './harness';
import { richConversation, snapshot } from './fixtures';

const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('density', function () {
  let p: WebviewPage;

  afterEach(async () => {
    assert.deepEqual(p.errors, [], 'the page logged errors');
    await p.close();
  });

  /** The header's height in lines of its text, the text a sighted reader sees, and its tooltip. */
  const header = (id: string) =>
    p.page.locator(`article[data-id="${id}"] .meta`).evaluate((meta) => {
      const line = parseFloat(getComputedStyle(meta).lineHeight);
      const shown = (el: Element | null): boolean => {
        for (let e = el; e && e !== meta.parentElement; e = e.parentElement) {
          const cs = getComputedStyle(e);
          if (cs.display === 'none' || cs.clipPath !== 'none') return false;
        }
        return true;
      };
      let seen = '';
      const walker = document.createTreeWalker(meta, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (shown(n.parentElement)) seen += n.textContent ?? '';
      return { lines: Math.round(meta.getBoundingClientRect().height / line), seen: seen.replace(/\s+/g, ' ').trim(), title: meta.getAttribute('title') ?? '' };
    });

  for (const [width, line] of [
    [480, /^ASSISTANT · anthropic\/claude-\S* · \$0\.0041 · 38 tok\/s$/],
    [300, /^ASSISTANT · \$0\.0041 · 38 tok\/s$/],
    [240, /^ASSISTANT · \$0\.0041$/],
  ] as const) {
    it(`shows a one-line header per entry at ${width} px, the rest in its tooltip and on focus`, async () => {
      p = await WebviewPage.open({ width, height: 700 });
      await p.post({ type: 'view/snapshot', snapshot: snapshot({ mode: 'research', conversation: richConversation() }) });
      const a2 = await header('a2');
      assert.equal(a2.lines, 1, `one line: ${JSON.stringify(a2)}`);
      assert.match(a2.seen, line, 'role · model · cost · tok/s, as far as they fit whole');
      const estimate = await p.page.locator('article[data-id="a2"] .stat.cost').evaluate((el) => getComputedStyle(el, '::before').content);
      assert.equal(estimate, '"~"', 'an estimated cost is marked ~');
      for (const rest of ['2,100 in → 96 out', '1.2 s', 'ttft 410 ms', 'anthropic/claude-sonnet-4', '(est.)']) {
        assert.ok(a2.title.includes(rest), `${rest} is in the tooltip: ${a2.title}`);
      }
      assert.ok(!a2.seen.includes('ttft'), 'latency is not on the line');
      // Nothing on the line is cut: every shown part fits inside the entry.
      const cut = await p.page.locator('article[data-id="a2"] .meta').evaluate((meta) => {
        const edge = meta.getBoundingClientRect().right + 0.5;
        return [...meta.querySelectorAll('.stat, .role')]
          .filter((el) => getComputedStyle(el.closest('.item') ?? el).clipPath === 'none')
          .filter((el) => el.getBoundingClientRect().right > edge || (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow !== 'ellipsis'))
          .map((el) => el.textContent);
      });
      assert.deepEqual(cut, []);
      // Screen readers hear the whole line: the rest is visually hidden, not removed.
      assert.match(squash(await p.page.locator('article[data-id="a2"] .meta').textContent()), /ttft 410 ms/);
      // Keyboard focus on the entry shows everything.
      await p.page.locator('article[data-id="a2"]').focus();
      assert.match((await header('a2')).seen, /ttft 410 ms/);
      const user = await header('u2');
      assert.equal(user.lines, 1);
      assert.equal(user.seen, 'USER', 'a user entry: its role (time and tokens in the tooltip)');
    });
  }

  it('keeps the full header in the wide layout', async () => {
    p = await WebviewPage.open({ width: 1280 });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ mode: 'research', conversation: richConversation() }) });
    assert.match((await header('a2')).seen, /^\[\d\d:\d\d:\d\d\] ASSISTANT · anthropic\/claude-sonnet-4 · 2,100 in → 96 out · \$0\.0041 \(est\.\) · 1\.2 s · ttft 410 ms · 38 tok\/s$/);
  });

  it('keeps a role marker on every entry in zen, at any width', async () => {
    p = await WebviewPage.open({ width: 300 });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ mode: 'zen', conversation: richConversation() }) });
    for (const [id, role] of [
      ['u1', 'USER'],
      ['a1', 'ASSISTANT'],
      ['u2', 'USER'],
      ['a2', 'ASSISTANT'],
    ] as const) {
      const h = await header(id);
      assert.ok(h.seen.endsWith(role), `${id}: ${JSON.stringify(h)}`);
    }
    const rule = await p.page.locator('article[data-id="u1"] .body').evaluate((el) => getComputedStyle(el).borderLeftWidth);
    assert.equal(rule, '1px', 'a thin rule in the role colour');
  });

  it('applies the prose font and size settings at once, leaving code in the editor font', async () => {
    p = await WebviewPage.open({ width: 300 });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation() }) });
    const fonts = () =>
      p.page.evaluate(() => {
        const t = document.querySelector('nt-app')!.shadowRoot!.querySelector('nt-transcript')!.shadowRoot!;
        const entries = [...t.querySelectorAll('nt-entry')].map((e) => e.shadowRoot!);
        const prose = entries.map((r) => r.querySelector('article[data-id="u1"] .plain')).find(Boolean)!;
        const code = entries.map((r) => r.querySelector('article[data-id="a1"] pre code')).find(Boolean)!;
        const p = getComputedStyle(prose);
        return { prose: p.fontFamily, size: p.fontSize, code: getComputedStyle(code).fontFamily };
      });
    const before = await fonts();
    assert.equal(before.prose, before.code, 'by default prose is in the editor font');
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation(), prose: { font: 'ui', size: 17 } }) });
    const after = await fonts();
    assert.notEqual(after.prose, after.code, 'the UI font for prose');
    assert.equal(after.code, before.code, 'code stays in the editor font');
    assert.equal(after.size, '17px');
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation(), prose: { font: 'editor', size: 0 } }) });
    assert.deepEqual(await fonts(), before, 'back to the editor font and size');
    assert.deepEqual(await p.cspViolations(), []);
  });
});
