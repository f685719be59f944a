/**
 * The comparison table (<nt-compare>) and the composer's Compare… action: rows from the host's
 * conversation, live character counts while replies stream, each row filled in as it settles,
 * sorting by mouse and keyboard with `aria-sort` (unknown values last either way), picking a
 * winner (not while streaming), showing a row's reply, cancel-all, and axe on it all.
 */
import * as assert from 'node:assert/strict';
import type { ComparisonRow, ComparisonView } from '../../src/shared/protocol';
import { pagePerTest, type WebviewPage } from './harness';
import { assistantEntry, conversation, snapshot, userEntry } from './fixtures';

const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-flash'];

function streamingRow(i: number): ComparisonRow {
  return { messageId: `r${i}`, model: MODELS[i]!, status: 'streaming' };
}

function doneRow(i: number, cost: string, latencyMs: number, rate: number): ComparisonRow {
  return {
    messageId: `r${i}`,
    model: MODELS[i]!,
    servedModel: MODELS[i]!,
    provider: ['OpenAI', 'Anthropic', 'Google'][i]!,
    status: 'complete',
    promptTokens: 20 + i,
    completionTokens: 100 * (i + 1),
    reasoningTokens: 0,
    cachedTokens: 0,
    cost,
    costSource: 'generation',
    ttftMs: 100 * (i + 1),
    tokensPerSecond: rate,
    latencyMs,
    finishReason: 'stop',
  };
}

function withComparison(comparison: ComparisonView, streaming: boolean) {
  return conversation([userEntry('u1', 'Which sort is stable?'), assistantEntry('r2', 'Merge sort.', { status: streaming ? 'streaming' : 'complete' })], {
    comparison,
    ...(streaming ? { streamingId: 'r0' } : {}),
  });
}

describe('compare', function () {
  let p: WebviewPage;
  pagePerTest((page) => (p = page));

  const table = () => p.page.getByRole('region', { name: 'Comparison table' });
  const rows = () => table().locator('tbody tr');
  const firstCells = async () => (await rows().locator('th').allTextContents()).map((t) => t.trim().split(/\s/)[0]);
  const header = (name: RegExp) => table().getByRole('columnheader', { name });

  it('fills in as the replies stream: live counts, then each row’s figures; cancel stops all', async () => {
    const streaming: ComparisonView = { userMessageId: 'u1', rows: [0, 1, 2].map(streamingRow), totalCost: '0', activeId: 'r2' };
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: withComparison(streaming, true) }) });
    assert.equal(await rows().count(), 3);
    assert.deepEqual(await firstCells(), MODELS);
    assert.match((await p.page.locator('nt-compare .summary').textContent()) ?? '', /0\/3 done/);
    // Tokens of a reply not on the shown branch still count in its row.
    await p.post({ type: 'chat/stream', conversationId: 'c1', messageId: 'r0', content: 'x'.repeat(1500), reasoning: '' });
    await p.page.waitForFunction(() => /1\.5k ch/.test(document.querySelector('nt-app')?.shadowRoot?.querySelector('nt-compare')?.shadowRoot?.textContent ?? ''));
    assert.match((await rows().first().locator('td.status').textContent()) ?? '', /streaming · 1\.5k ch/);
    assert.equal(await rows().first().getByRole('button', { name: /Pick/ }).getAttribute('aria-disabled'), 'true');
    await rows().first().getByRole('button', { name: /Pick/ }).click({ force: true });
    assert.deepEqual(await p.postedOf('compare/pick'), [], 'no winner while they stream');
    await p.page.locator('nt-compare').getByRole('button', { name: 'cancel all' }).click();
    assert.deepEqual(await p.postedOf('chat/cancel'), [{ type: 'chat/cancel', conversationId: 'c1' }]);

    const partly: ComparisonView = { ...streaming, rows: [streamingRow(0), doneRow(1, '0.0042', 900, 80), streamingRow(2)], totalCost: '0.0042' };
    await p.post({ type: 'chat/conversation', conversation: withComparison(partly, true) });
    const second = rows().nth(1);
    assert.match((await second.textContent())?.replace(/\s+/g, ' ') ?? '', /claude-sonnet-4.*Anthropic.*complete.*21.*200.*\$0\.0042.*200 ms.*80 tok\/s.*900 ms.*stop/);
    assert.match((await rows().first().locator('td.cost').textContent()) ?? '', /…/, 'a streaming row’s cost is still to come');
    assert.match((await p.page.locator('nt-compare .summary').textContent()) ?? '', /1\/3 done · total \$0\.0042/);
  });

  it('sorts by any column with mouse or keyboard, says so with aria-sort, keeps unknown values last', async () => {
    const rowsDone = [doneRow(0, '0.0100', 3000, 20), doneRow(1, '0.0042', 900, 80), { ...doneRow(2, '0', 1500, 50), cost: undefined, status: 'failed' as const, error: 'Rate limited' }];
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: withComparison({ userMessageId: 'u1', rows: rowsDone, totalCost: '0.0142' }, false) }) });
    const cost = header(/Exact cost/);
    assert.equal(await cost.getAttribute('aria-sort'), 'none');
    await cost.getByRole('button').click();
    assert.equal(await cost.getAttribute('aria-sort'), 'ascending');
    assert.deepEqual(await firstCells(), [MODELS[1], MODELS[0], MODELS[2]], 'cheapest first, the unpriced failure last');
    await cost.getByRole('button').press('Enter');
    assert.equal(await cost.getAttribute('aria-sort'), 'descending');
    assert.deepEqual(await firstCells(), [MODELS[0], MODELS[1], MODELS[2]], 'dearest first, still last');
    const rate = header(/Tokens per second/);
    await rate.getByRole('button').focus();
    await p.page.keyboard.press('Space');
    assert.equal(await rate.getAttribute('aria-sort'), 'descending', 'faster first');
    assert.equal(await cost.getAttribute('aria-sort'), 'none', 'one sorted column at a time');
    assert.deepEqual(await firstCells(), [MODELS[1], MODELS[2], MODELS[0]]);
    assert.match((await rows().nth(1).locator('td.status').textContent()) ?? '', /failed: Rate limited/);
  });

  it('picks a winner, shows a row’s reply, marks both, and passes axe', async () => {
    const view: ComparisonView = { userMessageId: 'u1', rows: [doneRow(0, '0.01', 3000, 20), doneRow(1, '0.0042', 900, 80), doneRow(2, '0.002', 1500, 50)], totalCost: '0.0162', activeId: 'r2' };
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: withComparison(view, false) }) });
    await rows().nth(1).getByRole('button', { name: `Pick ${MODELS[1]} as the winner` }).click();
    assert.deepEqual(await p.postedOf('compare/pick'), [{ type: 'compare/pick', messageId: 'r1' }]);
    await rows().first().getByRole('button', { name: `Show ${MODELS[0]}’s reply` }).click();
    assert.deepEqual(await p.postedOf('chat/switchBranch'), [{ type: 'chat/switchBranch', messageId: 'r0' }]);
    assert.equal(await rows().nth(2).getByRole('button', { name: /Show/ }).count(), 0, 'the shown reply has no Show button');
    await p.post({ type: 'chat/conversation', conversation: withComparison({ ...view, winnerId: 'r1', activeId: 'r1' }, false) });
    assert.match((await rows().nth(1).textContent()) ?? '', /★ winner/);
    assert.equal(await rows().nth(1).getAttribute('class').then((c) => /winner/.test(c ?? '') && /active/.test(c ?? '')), true);
    const violations = await p.axe();
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.help}`), []);
  });

  it('Compare… sends the composer’s text and chips, and keeps the text until the comparison started', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u0', 'earlier')]) }) });
    await p.post({ type: 'attach/list', items: [{ id: 'a1', kind: 'file', label: 'src/sort.ts', tokens: 40 }], limit: 50_000 });
    const box = p.page.getByRole('textbox', { name: 'Message' });
    await box.fill('Which sort is stable?');
    await p.page.locator('nt-composer vscode-button', { hasText: 'Compare…' }).click();
    assert.deepEqual(await p.postedOf('compare/start'), [{ type: 'compare/start', text: 'Which sort is stable?', conversationId: 'c1', attachmentIds: ['a1'] }]);
    assert.equal(await box.inputValue(), 'Which sort is stable?', 'kept while the models are picked');
    await p.post({ type: 'host/reply', requestId: await p.lastRequestId('compare/start'), ok: false, error: 'No comparison: no models were picked.' });
    assert.equal(await box.inputValue(), 'Which sort is stable?', 'a comparison that did not start loses nothing');
    await p.page.locator('nt-composer vscode-button', { hasText: 'Compare…' }).click();
    await p.post({ type: 'host/reply', requestId: await p.lastRequestId('compare/start'), ok: true });
    assert.equal(await box.inputValue(), '', 'the text left with the comparison');
  });
});
