/**
 * The narrow sidebar, where the extension is used: at 300 px and 240 px in the four themes,
 * nothing overflows sideways, no figure is cut without an ellipsis, tabbing through the page
 * never scrolls it sideways, and every new turn lands in view — also after a notice card
 * has pushed the transcript up, and for a turn the host adds (Send Selection).
 */
import * as assert from 'node:assert/strict';
import { WebviewPage, THEMES, type ThemeName } from './harness';
import { assistantEntry, conversation, richConversation, snapshot, telemetry, userEntry } from './fixtures';
import type { Notice } from '../../src/shared/protocol';
import { measureLayout, NO_LAYOUT_FAULTS, type LayoutReport } from './layout';

/** The shared layout walk (test/browser/layout.ts), run in the harness page. */
function measure(p: WebviewPage): Promise<LayoutReport> {
  return p.page.evaluate(measureLayout);
}

function notice(overrides: Partial<Notice> & Pick<Notice, 'id'>): Notice {
  return { severity: 'error', kind: 'rate_limited', message: 'Rate limited by the provider. The text that arrived was kept.', ...overrides };
}

/** Busy figures: five-digit costs, large token counts, a slow circuit, a budget near its limit. */
function busyTelemetry() {
  return telemetry({
    sessionCost: '0.000782',
    tokensIn: 1_234_567,
    tokensOut: 98_765,
    lastTtftMs: 12_340,
    lastTokensPerSecond: 123.4,
    circuit: 'half-open',
    budget: { session: '0.001', monthly: '20.00', warnAtBasisPoints: 8000 },
  });
}

describe('sidebar at narrow widths', function () {
  let p: WebviewPage;

  afterEach(async () => {
    assert.deepEqual(p.errors, [], 'the page logged errors');
    await p.close();
  });

  for (const width of [300, 240]) {
    for (const theme of Object.keys(THEMES) as ThemeName[]) {
      it(`has no horizontal overflow or cut figure at ${width} px (${theme}), also while tabbing`, async () => {
        p = await WebviewPage.open({ width, theme, height: 700 });
        await p.post({
          type: 'view/snapshot',
          snapshot: snapshot({
            conversation: richConversation(),
            telemetry: busyTelemetry(),
            notices: [notice({ id: 'n1', retryAt: Date.now() + 9_000 })],
            isDemoEndpoint: true,
            endpointHost: '127.0.0.1:41234',
          }),
        });
        const first = await measure(p);
        assert.deepEqual(first, NO_LAYOUT_FAULTS, `at rest: ${JSON.stringify(first)}`);
        // Tab through everything: a focused control past the edge would scroll its box sideways.
        for (let i = 0; i < 40; i++) {
          await p.page.keyboard.press('Tab');
          const r = await measure(p);
          assert.deepEqual(r.shifted, [], `after ${i + 1} Tab presses: ${JSON.stringify(r.shifted)}`);
        }
        for (const drawer of ['history', 'models']) {
          const button = p.page.getByRole('button', { name: drawer, exact: true });
          if ((await button.count()) === 0) continue;
          await button.click();
          await p.settle();
          const r = await measure(p);
          assert.deepEqual(r, NO_LAYOUT_FAULTS, `with the ${drawer} drawer open: ${JSON.stringify(r)}`);
          await p.page.keyboard.press('Escape');
        }
      });
    }
  }

  it('keeps the telemetry strip figures whole: what does not fit goes into the summary, never cut', async () => {
    p = await WebviewPage.open({ width: 240 });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation(), telemetry: busyTelemetry() }) });
    const strip = p.page.locator('nt-telemetry.strip');
    // Items that wrapped onto the strip's hidden second line are not shown; the rest must be whole.
    const { shown, edge } = await strip.evaluate((el) => {
      const items = el.shadowRoot!.querySelector('.items')!;
      const box = items.getBoundingClientRect();
      return {
        edge: box.right,
        shown: [...items.children]
          .filter((s) => s.getClientRects().length > 0 && s.getBoundingClientRect().top < box.bottom - 1)
          .map((s) => ({ text: (s.textContent ?? '').replace(/\s+/g, ' ').trim(), whole: s.scrollWidth <= s.clientWidth + 1, right: s.getBoundingClientRect().right })),
      };
    });
    assert.ok(shown.length >= 1, 'the cost is always shown');
    for (const s of shown) assert.ok(s.whole && s.right <= edge + 1, `cut figure: ${JSON.stringify(s)} (edge ${edge})`);
    // Every figure stays available as text: in the strip's accessible summary.
    const summary = (await strip.locator('[role="group"]').getAttribute('title')) ?? '';
    for (const figure of ['$0.000782', '1.2M', '99k', '12.3 s', '123 tok/s']) assert.ok(summary.includes(figure), `${figure} missing from "${summary}"`);
  });

  it('brings each new turn into view after a send, also below a notice card and for a host-added turn', async () => {
    p = await WebviewPage.open({ width: 300, height: 600 });
    const history = Array.from({ length: 12 }, (_, i) => [
      userEntry(`u${i}`, `Question ${i}: ${'why does the parser stall on a partial chunk? '.repeat(3)}`, { createdAt: Date.UTC(2026, 10, 25, 13, i) }),
      assistantEntry(`a${i}`, `Answer ${i}. ${'Keep the tail between chunks and parse only complete events. '.repeat(6)}`, { createdAt: Date.UTC(2026, 10, 25, 13, i, 30) }),
    ]).flat();
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation(history) }) });
    const inView = (id: string) =>
      p.page.evaluate((messageId) => {
        const t = document.querySelector('nt-app')!.shadowRoot!.querySelector('nt-transcript')!.shadowRoot!;
        const box = t.querySelector('.scroller')!.getBoundingClientRect();
        const article = [...t.querySelectorAll('nt-entry')].map((e) => e.shadowRoot?.querySelector(`article[data-id="${messageId}"]`) ?? null).find(Boolean);
        if (!article) return 'missing';
        const r = article.getBoundingClientRect();
        return r.bottom <= box.bottom + 1 && r.bottom > box.top ? 'in view' : `out of view (${Math.round(r.top)}..${Math.round(r.bottom)} vs ${Math.round(box.top)}..${Math.round(box.bottom)})`;
      }, id);
    const jump = p.page.getByRole('button', { name: '↓ latest' });

    let entries = history;
    for (let turn = 0; turn < 3; turn++) {
      // A notice card appears above the composer and squeezes the transcript.
      await p.post({ type: 'notice/list', notices: [notice({ id: `n${turn}`, message: `Notice ${turn}: ${'something the reader should know. '.repeat(4)}` })] });
      const u = userEntry(`nu${turn}`, `Follow-up ${turn}`);
      const a = assistantEntry(`na${turn}`, '', { status: 'streaming', cost: undefined, completionTokens: undefined });
      entries = [...entries, u, a];
      await p.post({ type: 'chat/conversation', conversation: conversation(entries, { streamingId: a.id }) });
      for (let i = 0; i < 8; i++) {
        await p.post({ type: 'chat/stream', conversationId: 'c1', messageId: a.id, content: `Streamed line ${i} of turn ${turn}.\n\n`, reasoning: '' });
      }
      assert.equal(await inView(a.id), 'in view', `turn ${turn}: the streaming reply is in view`);
      assert.equal(await jump.count(), 0, `turn ${turn}: no "↓ latest" pill`);
      entries = [...entries.slice(0, -1), assistantEntry(a.id, Array.from({ length: 8 }, (_, i) => `Streamed line ${i} of turn ${turn}.`).join('\n\n'))];
      await p.post({ type: 'chat/conversation', conversation: conversation(entries) });
      assert.equal(await inView(a.id), 'in view', `turn ${turn}: the finished reply stays in view`);
    }

    // The reader scrolls up during a stream: it is left alone, with the pill to come back.
    const a = assistantEntry('late', '', { status: 'streaming', cost: undefined, completionTokens: undefined });
    entries = [...entries, userEntry('lu', 'One more'), a];
    await p.post({ type: 'chat/conversation', conversation: conversation(entries, { streamingId: a.id }) });
    const scroller = p.page.getByRole('log', { name: 'Transcript' });
    await scroller.hover();
    await p.page.mouse.wheel(0, -1500);
    await p.page.waitForTimeout(100);
    await p.post({ type: 'chat/stream', conversationId: 'c1', messageId: a.id, content: 'More text.\n\n'.repeat(10), reasoning: '' });
    assert.notEqual(await inView(a.id), 'in view', 'scrolling up during the stream is respected');
    await jump.waitFor();

    // A turn the host adds (Send Selection) comes into view again.
    entries = [...entries.slice(0, -1), assistantEntry('late', 'More text.')];
    const sel = userEntry('sel', '```ts\nconst x = 1;\n```\nsrc/a.ts:1-3');
    entries = [...entries, sel];
    await p.post({ type: 'chat/conversation', conversation: conversation(entries) });
    assert.equal(await inView('sel'), 'in view', 'the sent selection is in view');
  });
});
