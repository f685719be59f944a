/**
 * The composer's OpenRouter picker and the entry's control details: routing, reasoning effort
 * (offered only when the host says the model takes it) and per-send web search go out with the
 * send; the entry shows the served provider, the BYOK split, the cache saving and citations.
 */
import * as assert from 'node:assert/strict';
import { pagePerTest, type WebviewPage } from './harness';
import { assistantEntry, conversation, snapshot, userEntry } from './fixtures';

const fixed = (perMillion: string) => ({ kind: 'fixed' as const, perMillion });

describe('OpenRouter controls', function () {
  let p: WebviewPage;
  pagePerTest((page) => (p = page));

  const box = () => p.page.getByRole('textbox', { name: 'Message' });

  it('sends the picked routing, reasoning effort and web search with the message; web search is for one send', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u1', 'earlier')]) }) });
    await p.post({
      type: 'controls/state',
      modelId: 'deepseek/deepseek-r1',
      current: { routing: { zdr: true } },
      reasoning: { efforts: ['none', 'low', 'medium', 'high'] },
      providers: [
        { name: 'DeepSeek', tag: 'deepseek', prompt: fixed('0.4'), completion: fixed('2') },
        { name: 'Fastlane', tag: 'fastlane', prompt: fixed('0.5'), completion: fixed('2.5') },
      ],
    });
    assert.equal(await p.page.getByLabel('ZDR').isChecked(), true, 'starts from the conversation’s routing');
    await p.page.getByRole('combobox', { name: 'Provider sort' }).selectOption('price');
    await p.page.getByRole('combobox', { name: 'Provider', exact: true }).selectOption('fastlane');
    await p.page.getByRole('combobox', { name: 'Reasoning effort' }).selectOption('high');
    await p.page.getByLabel('web').check();
    await box().fill('with controls');
    await box().press('Enter');
    assert.deepEqual(await p.postedOf('chat/send'), [
      {
        type: 'chat/send',
        text: 'with controls',
        conversationId: 'c1',
        controls: { routing: { zdr: true, sort: 'price', order: ['fastlane'] }, reasoning: { effort: 'high' }, webSearch: true },
      },
    ]);
    assert.equal(await p.page.getByLabel('web').isChecked(), false, 'web search is asked for per send');
    assert.equal(await p.page.getByLabel('ZDR').isChecked(), true, 'routing stays');
  });

  it('offers no effort picker for a model that does not take reasoning, and re-estimates when a control changes', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await p.post({ type: 'controls/state', modelId: 'openai/gpt-4o-mini', current: {}, providers: [] });
    assert.equal(await p.page.getByRole('combobox', { name: 'Reasoning effort' }).count(), 0);
    await box().fill('how much?');
    await p.page.getByLabel('web').check();
    const estimates = await p.postedOf('chat/estimate');
    assert.deepEqual(estimates.at(-1), { type: 'chat/estimate', text: 'how much?', controls: { routing: {}, webSearch: true } });
  });

  it('shows the served provider, the BYOK split, the cache saving and the citations of a reply', async () => {
    const reply = assistantEntry('a1', 'Answer with sources.', {
      provider: 'Fastlane',
      cost: '0.0021',
      billing: { fee: '0.0001', upstream: '0.002' },
      cache: { readTokens: 1200, writeTokens: 0, saving: '0.00324' },
      citations: [{ url: 'https://example.org/a', title: 'Source A' }, { url: 'https://example.org/b' }],
      controls: 'sort price · web ×2',
    });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u1', 'q'), reply]) }) });
    const entry = p.page.locator('nt-entry').last();
    const text = await entry.locator('article').innerText();
    assert.match(text, /via Fastlane/);
    assert.match(text, /fee \$0\.0001 \+ provider \$0\.0020/);
    assert.match(text, /cache saved \$0\.0032/);
    assert.match(text, /sort price · web ×2/);
    await entry.getByRole('link', { name: 'Source A' }).click();
    assert.deepEqual(await p.postedOf('editor/openLink'), [{ type: 'editor/openLink', url: 'https://example.org/a' }]);
    assert.equal(await entry.getByRole('link', { name: 'example.org' }).count(), 1, 'an untitled source is named by its host');
  });
});
