/**
 * The history and models drawers: listing with fork lineage, full-text search with highlighted
 * snippets built safely from ranges, filters, rename/tag/archive/delete (delete asks), and the
 * model catalogue sorted and filtered with "varies" for router prices.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage } from './harness';
import { model, snapshot } from './fixtures';
import type { ConversationSummary } from '../../src/shared/protocol';

const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

function summary(id: string, title: string, overrides: Partial<ConversationSummary> = {}): ConversationSummary {
  return { id, title, modelId: 'anthropic/claude-sonnet-4', updatedAt: Date.UTC(2026, 10, 20, 9, 30), totalCost: '0.0420', messageCount: 6, archived: false, tags: [], ...overrides };
}

describe('history drawer', function () {
  let p: WebviewPage;

  beforeEach(async () => {
    p = await WebviewPage.open();
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await p.page.getByRole('button', { name: 'history', exact: true }).click();
    await p.clearPosted();
  });
  afterEach(async () => {
    assert.deepEqual(p.errors, [], 'the page logged errors');
    await p.close();
  });

  const drawer = () => p.page.getByRole('complementary', { name: 'History' });
  const items = [
    summary('c1', 'Streaming parsers', { tags: ['research', 'sse'] }),
    summary('c2', 'Budget maths', { tags: ['money'] }),
    summary('c3', 'Streaming parsers (CRLF fork)', { parentConversationId: 'c1' }),
  ];

  it('asks for the list when opened and shows forks under their source with their lineage', async () => {
    await p.page.getByRole('button', { name: 'history', exact: true }).click(); // close
    await p.page.getByRole('button', { name: 'history', exact: true }).click(); // open again
    assert.deepEqual(await p.postedOf('archive/list'), [{ type: 'archive/list', archived: false }]);
    await p.post({ type: 'archive/page', items, total: 3, offset: 0 });
    const titles = await drawer().locator('li.conv .open').allTextContents();
    assert.deepEqual(titles.map((t) => t.trim()), ['Streaming parsers', 'Streaming parsers (CRLF fork)', 'Budget maths']);
    const fork = drawer().locator('li.conv[data-id="c3"]');
    assert.match(squash(await fork.locator('.lineage').textContent()), /^fork of Streaming parsers$/);
    await fork.locator('.lineage').getByRole('button').click();
    assert.deepEqual(await p.postedOf('archive/open'), [{ type: 'archive/open', conversationId: 'c1' }]);
  });

  it('renders search highlights as <mark> elements and never injects snippet HTML', async () => {
    await p.post({ type: 'archive/page', items, total: 3, offset: 0 });
    await drawer().getByRole('searchbox', { name: 'Search history' }).fill('parser');
    const request = await p.waitForPosted((m) => m.type === 'archive/search');
    assert.equal(request.query, 'parser');
    const snippet = '<img src=x onerror="window.__pwned=1"> the parser keeps a <b>tail</b>; a second parser too';
    const first = snippet.indexOf('parser');
    const second = snippet.lastIndexOf('parser');
    await p.post({
      type: 'archive/results',
      requestId: await p.lastRequestId('archive/search'),
      query: 'parser',
      hits: [
        {
          conversationId: 'c1',
          messageId: 'm7',
          title: 'Streaming <i>parsers</i>',
          snippet,
          highlights: [
            [second, second + 6],
            [first, first + 6],
            [900, 950], // out of range: ignored
          ],
          updatedAt: Date.now(),
        },
      ],
    });
    const hit = drawer().getByRole('list', { name: 'Search results' }).locator('li').first();
    assert.deepEqual(await hit.locator('mark').allTextContents(), ['parser', 'parser']);
    assert.equal(await hit.locator('img, b, i').count(), 0, 'snippet and title markup stays text');
    assert.ok(squash(await hit.textContent()).includes('<img src=x onerror="window.__pwned=1"> the parser keeps a <b>tail</b>'));
    assert.equal(await p.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await hit.getByRole('button').click();
    assert.deepEqual(await p.postedOf('archive/open'), [{ type: 'archive/open', conversationId: 'c1', messageId: 'm7' }]);
  });

  it('ignores results that answer an older search request', async () => {
    await drawer().getByRole('searchbox', { name: 'Search history' }).fill('bud');
    await p.waitForPosted((m) => m.type === 'archive/search' && m.query === 'bud');
    const older = await p.lastRequestId('archive/search');
    await drawer().getByRole('searchbox', { name: 'Search history' }).fill('budget');
    await p.waitForPosted((m) => m.type === 'archive/search' && m.query === 'budget');
    const current = await p.lastRequestId('archive/search');
    assert.notEqual(older, current, 'each search is its own request');
    await p.post({ type: 'archive/results', requestId: older, query: 'bud', hits: [{ conversationId: 'c2', title: 'stale', snippet: 'bud', highlights: [[0, 3]], updatedAt: 0 }] });
    assert.equal(await drawer().getByText('stale').count(), 0);
    await p.post({ type: 'archive/results', requestId: current, query: 'budget', hits: [{ conversationId: 'c2', title: 'Budget maths', snippet: 'the budget bar', highlights: [[4, 10]], updatedAt: 0 }] });
    assert.equal(await drawer().getByRole('button', { name: /Budget maths/ }).count(), 1);
  });

  it('renames, tags and archives, and leaves the delete confirmation to the host', async () => {
    await p.post({ type: 'archive/page', items, total: 3, offset: 0 });
    const row = drawer().locator('li.conv[data-id="c2"]');
    await row.getByRole('button', { name: 'rename' }).click();
    await row.getByRole('textbox', { name: 'Title' }).fill('Exact budget maths');
    await row.getByRole('textbox', { name: 'Title' }).press('Enter');
    await row.getByRole('button', { name: 'tags' }).click();
    await row.getByRole('textbox', { name: 'Tags, comma separated' }).fill('money, #decimal, money');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByRole('button', { name: 'archive' }).click();
    // The view only asks; the host shows its own modal dialog (tested in the extension host).
    await row.getByRole('button', { name: 'delete…' }).click();
    const posted = (await p.posted()).filter((m) => m.type !== 'archive/list');
    assert.deepEqual(posted, [
      { type: 'archive/rename', conversationId: 'c2', title: 'Exact budget maths' },
      { type: 'archive/tag', conversationId: 'c2', tags: ['money', 'decimal'] },
      { type: 'archive/setArchived', conversationId: 'c2', archived: true },
      { type: 'archive/delete', conversationId: 'c2' },
    ]);
  });

  it('filters by tag and shows archived conversations on request', async () => {
    await p.post({ type: 'archive/page', items, total: 3, offset: 0 });
    await drawer().getByRole('group', { name: 'Filter by tag' }).getByRole('button', { name: '#sse' }).click();
    await drawer().locator('vscode-checkbox').click();
    assert.deepEqual(await p.postedOf('archive/list'), [
      { type: 'archive/list', archived: false, tag: 'sse' },
      { type: 'archive/list', archived: true, tag: 'sse' },
    ]);
  });
});

describe('models drawer', function () {
  let p: WebviewPage;
  const catalogue = [
    model('openai/gpt-4.1-mini', { name: 'GPT-4.1 mini', contextLength: 1_047_576, prompt: { kind: 'fixed', perMillion: '0.40' }, completion: { kind: 'fixed', perMillion: '1.60' } }),
    model('anthropic/claude-sonnet-4', { name: 'Claude Sonnet 4', contextLength: 200_000, prompt: { kind: 'fixed', perMillion: '3' }, completion: { kind: 'fixed', perMillion: '15' } }),
    model('openrouter/auto', { name: 'Auto Router', contextLength: 2_000_000, prompt: { kind: 'variable' }, completion: { kind: 'variable' } }),
    model('meta-llama/llama-3.3-70b-instruct:free', { name: 'Llama 3.3 70B (free)', contextLength: 131_072, prompt: { kind: 'fixed', perMillion: '0' }, completion: { kind: 'fixed', perMillion: '0' }, free: true }),
    model('mistralai/mistral-small', { name: 'Mistral Small', contextLength: 32_000, prompt: { kind: 'fixed', perMillion: '0.2' }, completion: { kind: 'fixed', perMillion: '0.6' } }),
  ];

  beforeEach(async () => {
    p = await WebviewPage.open();
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await p.page.getByRole('button', { name: 'models', exact: true }).click();
  });
  afterEach(async () => {
    assert.deepEqual(p.errors, [], 'the page logged errors');
    await p.close();
  });

  const drawer = () => p.page.getByRole('complementary', { name: 'Models' });
  const ids = async () => (await drawer().locator('.model .id').allTextContents()).map((t) => t.trim());

  it('asks for the catalogue and shows $/1M in and out, context, and "varies" for router models', async () => {
    assert.deepEqual(await p.postedOf('models/list'), [{ type: 'models/list' }]);
    await p.post({ type: 'models/catalog', models: catalogue, selected: 'anthropic/claude-sonnet-4', stale: true });
    const row = (id: string) => drawer().locator('li', { has: p.page.locator('.id', { hasText: id }) });
    assert.equal(squash(await row('anthropic/claude-sonnet-4').locator('.prices').textContent()), '$3.00 in · $15.00 out /1M · 200k ctx');
    assert.equal(squash(await row('openrouter/auto').locator('.prices').textContent()), 'varies in · varies out /1M · 2M ctx');
    assert.equal(squash(await row('meta-llama/llama-3.3-70b-instruct:free').locator('.prices').textContent()), 'free · 131k ctx');
    assert.equal(await row('anthropic/claude-sonnet-4').getByRole('button').getAttribute('aria-current'), 'true');
    assert.match(await p.deepText('nt-models'), /may be out of date/);
  });

  it('sorts by price (router prices last) and by context, and filters by text and free', async () => {
    await p.post({ type: 'models/catalog', models: catalogue, selected: 'anthropic/claude-sonnet-4', stale: false });
    assert.deepEqual(await ids(), [
      'meta-llama/llama-3.3-70b-instruct:free',
      'mistralai/mistral-small',
      'openai/gpt-4.1-mini',
      'anthropic/claude-sonnet-4',
      'openrouter/auto',
    ]);
    const sorts = drawer().getByRole('group', { name: 'Sort models by' });
    await sorts.getByRole('button', { name: 'context' }).click();
    assert.deepEqual((await ids())[0], 'openrouter/auto');
    assert.deepEqual((await ids()).at(-1), 'mistralai/mistral-small');
    await drawer().getByRole('searchbox', { name: 'Filter models' }).fill('claude 4');
    assert.deepEqual(await ids(), ['anthropic/claude-sonnet-4']);
    await drawer().getByRole('searchbox', { name: 'Filter models' }).fill('');
    await drawer().locator('vscode-checkbox').click();
    assert.deepEqual(await ids(), ['meta-llama/llama-3.3-70b-instruct:free']);
  });

  it('selects a model on click', async () => {
    await p.post({ type: 'models/catalog', models: catalogue, selected: 'anthropic/claude-sonnet-4', stale: false });
    await drawer().getByRole('button', { name: /GPT-4\.1 mini/ }).click();
    assert.deepEqual(await p.postedOf('models/select'), [{ type: 'models/select', modelId: 'openai/gpt-4.1-mini' }]);
    assert.equal(await drawer().getByRole('button', { name: /GPT-4\.1 mini/ }).getAttribute('aria-current'), 'true');
  });
});

describe('drawer frame', function () {
  let p: WebviewPage;

  afterEach(async () => {
    assert.deepEqual(p.errors, [], 'the page logged errors');
    await p.close();
  });

  /** Where the drawer and its close button are, against the transcript's body row. */
  async function frameOf(name: string) {
    const drawer = p.page.getByRole('complementary', { name });
    await drawer.waitFor();
    await p.settle();
    const box = await drawer.boundingBox();
    const close = await drawer.getByRole('button', { name: `Close ${name.toLowerCase()}` }).boundingBox();
    const sideways = await drawer.evaluate((el) => {
      // Anything in the frame that is wider than its box would show a horizontal scrollbar or be cut.
      const wide: string[] = [];
      const walk = (root: Element | ShadowRoot) => {
        for (const child of root.children) {
          if (child instanceof HTMLElement && child.getClientRects().length > 0 && child.scrollWidth > child.clientWidth + 1 && getComputedStyle(child).overflowX !== 'visible') {
            wide.push(`${child.tagName.toLowerCase()}.${[...child.classList].join('.')} +${child.scrollWidth - child.clientWidth}px`);
          }
          if (child.shadowRoot) walk(child.shadowRoot);
          walk(child);
        }
      };
      walk(el);
      if (el.shadowRoot) walk(el.shadowRoot);
      return wide;
    });
    return { box: box!, close: close!, sideways };
  }

  for (const width of [300, 240]) {
    it(`opens every drawer over the whole sidebar width (${width} px), from the same side, with the close button in the same place`, async () => {
      p = await WebviewPage.open({ width, height: 600 });
      await p.post({ type: 'view/snapshot', snapshot: snapshot() });
      const main = (await p.page.locator('nt-app main').boundingBox())!;
      const frames: Record<string, Awaited<ReturnType<typeof frameOf>>> = {};
      for (const [button, name] of [
        ['history', 'History'],
        ['models', 'Models'],
        [/telemetry/, 'Telemetry'],
      ] as const) {
        await p.page.getByRole('button', { name: button, exact: typeof button === 'string' }).first().click();
        if (name === 'History') {
          await p.post({
            type: 'archive/page',
            items: [
              summary('c1', 'A source conversation whose title is long enough to need two lines in the sidebar'),
              summary('c2', 'Its fork', { parentConversationId: 'c1' }),
            ],
            total: 2,
            offset: 0,
          });
        }
        frames[name] = await frameOf(name);
        await p.page.keyboard.press('Escape');
        await p.page.getByRole('complementary', { name }).waitFor({ state: 'detached' });
      }
      for (const [name, f] of Object.entries(frames)) {
        assert.ok(Math.abs(f.box.x - main.x) <= 1 && Math.abs(f.box.width - main.width) <= 1, `${name} covers the body row: ${JSON.stringify(f.box)} vs ${JSON.stringify(main)}`);
        assert.deepEqual(f.sideways, [], `${name} has nothing wider than its frame`);
        assert.ok(f.close.x + f.close.width <= f.box.x + f.box.width + 0.5, `${name}'s close button is inside the frame`);
        assert.deepEqual(
          [Math.round(f.close.x), Math.round(f.close.y)],
          [Math.round(frames.History!.close.x), Math.round(frames.History!.close.y)],
          `${name}'s close button is where History's is`,
        );
      }
    });
  }

  it('shows the whole "fork of …" source title and closes with its button, returning focus to the opener', async () => {
    p = await WebviewPage.open({ width: 240, height: 600 });
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    const opener = p.page.getByRole('button', { name: 'history', exact: true });
    await opener.click();
    const source = 'A source conversation whose title is long enough to need two lines in the sidebar';
    await p.post({ type: 'archive/page', items: [summary('c1', source), summary('c2', 'Its fork', { parentConversationId: 'c1' })], total: 2, offset: 0 });
    const link = p.page.getByRole('complementary', { name: 'History' }).locator('li.conv[data-id="c2"] .lineage').getByRole('button');
    assert.equal(squash(await link.textContent()), source);
    const fits = await link.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const frame = el.closest('li')!.getBoundingClientRect();
      return { whole: el.scrollWidth <= el.clientWidth + 1, inside: r.right <= frame.right + 0.5 };
    });
    assert.deepEqual(fits, { whole: true, inside: true }, 'the source title wraps inside the row');
    assert.equal(await p.page.getByRole('complementary', { name: 'History' }).getByRole('heading').textContent(), 'HISTORY');
    await p.page.getByRole('button', { name: 'Close history' }).click();
    await p.page.getByRole('complementary', { name: 'History' }).waitFor({ state: 'detached' });
    assert.equal(await opener.evaluate((el) => el.matches(':focus')), true, 'focus returns to the button that opened it');
  });
});
