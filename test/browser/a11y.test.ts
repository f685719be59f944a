/**
 * axe-core (WCAG 2 A, AA and AAA — including 7:1 text contrast) with zero violations in VS Code's
 * Dark Modern, Light Modern, Dark High Contrast and Light High Contrast themes, narrow and wide,
 * with drawers open; each state is screenshotted into test-results/browser/.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage, formatViolations, type ThemeName } from './harness';
import { assistantEntry, conversation, model, richConversation, snapshot, telemetry } from './fixtures';
import type { ConversationView, Notice } from '../../src/shared/protocol';

const THEME_NAMES: ThemeName[] = ['dark', 'light', 'highContrast', 'highContrastLight'];

function showcase(): ConversationView {
  const c = richConversation();
  return conversation(
    [
      ...c.entries,
      assistantEntry('a3', 'Yes — hold the `\\r` back until the next chunk shows whether a `\\n` follows', {
        status: 'streaming',
        parentId: 'a2',
        createdAt: c.entries[3]!.createdAt + 30_000,
      }),
    ],
    { streamingId: 'a3' },
  );
}

const notices = (): Notice[] => [
  { id: 'n1', severity: 'warning', kind: 'rate_limited', message: 'Rate limited by OpenRouter.', retryAt: Date.now() + 42_000 },
  { id: 'n2', severity: 'error', kind: 'no_credits', message: 'Not enough credits for this reply: the balance covers about 120 tokens.' },
];

async function render(p: WebviewPage, extra: Partial<Parameters<typeof snapshot>[0]> = {}): Promise<void> {
  await p.post({
    type: 'view/snapshot',
    snapshot: snapshot({ conversation: showcase(), notices: notices(), telemetry: telemetry({ sessionCost: '0.8312' }), ...extra }),
  });
  await p.post({ type: 'chat/stream', conversationId: 'c1', messageId: 'a3', content: ' — and only then split.', reasoning: '' });
  await p.page.waitForTimeout(150);
}

describe('accessibility and looks', function () {
  this.timeout(120_000);
  let p: WebviewPage;

  afterEach(async () => {
    await p.close();
  });

  for (const theme of THEME_NAMES) {
    for (const [layout, width] of [
      ['narrow', 420],
      ['wide', 1280],
    ] as const) {
      it(`has no WCAG A/AA/AAA violations in ${theme}, ${layout}`, async () => {
        p = await WebviewPage.open({ theme, width, height: 820 });
        await render(p);
        await p.screenshot(`${theme}-${layout}`);
        const violations = await p.axe();
        assert.equal(violations.length, 0, formatViolations(violations));
        assert.deepEqual(p.errors, []);
        assert.deepEqual(await p.cspViolations(), []);
      });
    }

    it(`has no violations with the history and models drawers open in ${theme}`, async () => {
      p = await WebviewPage.open({ theme, width: 420, height: 820 });
      await render(p);
      await p.page.getByRole('button', { name: 'history', exact: true }).click();
      await p.post({
        type: 'archive/page',
        items: [
          { id: 'c1', title: 'Streaming parsers', modelId: 'anthropic/claude-sonnet-4', updatedAt: Date.now(), totalCost: '0.0164', messageCount: 5, archived: false, tags: ['research', 'sse'] },
          { id: 'c4', title: 'Streaming parsers (CRLF fork)', modelId: 'openai/gpt-4.1-mini', updatedAt: Date.now(), totalCost: '0.0011', messageCount: 3, archived: false, tags: [], parentConversationId: 'c1' },
          { id: 'c2', title: 'Budget maths with BigInt', modelId: 'anthropic/claude-sonnet-4', updatedAt: Date.now() - 86_400_000, totalCost: '0.2103', messageCount: 14, archived: true, tags: ['money'] },
        ],
        total: 3,
        offset: 0,
      });
      await p.screenshot(`${theme}-history`);
      let violations = await p.axe();
      assert.equal(violations.length, 0, `history: ${formatViolations(violations)}`);
      await p.page.getByRole('searchbox', { name: 'Search history' }).fill('split');
      await p.waitForPosted((m) => m.type === 'archive/search');
      await p.post({
        type: 'archive/results',
        requestId: await p.lastRequestId('archive/search'),
        query: 'split',
        hits: [{ conversationId: 'c1', messageId: 'a1', title: 'Streaming parsers', snippet: '…read the body as a stream and split on blank lines — each event…', highlights: [[30, 35]], updatedAt: Date.now() }],
      });
      violations = await p.axe();
      assert.equal(violations.length, 0, `search: ${formatViolations(violations)}`);
      await p.page.getByRole('button', { name: 'models', exact: true }).click();
      await p.post({
        type: 'models/catalog',
        selected: 'anthropic/claude-sonnet-4',
        stale: false,
        models: [
          model('anthropic/claude-sonnet-4', { name: 'Claude Sonnet 4', contextLength: 200_000, prompt: { kind: 'fixed', perMillion: '3' }, completion: { kind: 'fixed', perMillion: '15' } }),
          model('openrouter/auto', { name: 'Auto Router', contextLength: 2_000_000, prompt: { kind: 'variable' }, completion: { kind: 'variable' } }),
          model('meta-llama/llama-3.3-70b-instruct:free', { name: 'Llama 3.3 70B (free)', free: true, prompt: { kind: 'fixed', perMillion: '0' }, completion: { kind: 'fixed', perMillion: '0' } }),
        ],
      });
      await p.screenshot(`${theme}-models`);
      violations = await p.axe();
      assert.equal(violations.length, 0, `models: ${formatViolations(violations)}`);
      assert.deepEqual(p.errors, []);
    });
  }

  for (const [layout, width] of [
    ['narrow', 420],
    ['wide', 1280],
  ] as const) {
    it(`has no violations in the phosphor look, ${layout}`, async () => {
      p = await WebviewPage.open({ theme: 'dark', width, height: 820 });
      await render(p, { look: 'phosphor' });
      await p.screenshot(`phosphor-${layout}`);
      const violations = await p.axe();
      assert.equal(violations.length, 0, formatViolations(violations));
    });
  }
});
