/**
 * The composer by keyboard and mouse: Enter sends, Shift+Enter adds a line, Esc cancels a
 * stream; named Send/Cancel buttons; a debounced estimate; the model picker; and a draft that
 * survives the view being reloaded.
 */
import * as assert from 'node:assert/strict';
import { pagePerTest, type WebviewPage } from './harness';
import { assistantEntry, conversation, snapshot, userEntry } from './fixtures';

describe('composer', function () {
  let p: WebviewPage;
  pagePerTest((page) => (p = page));

  const box = () => p.page.getByRole('textbox', { name: 'Message' });

  it('sends on Enter and clears the field', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u1', 'earlier')]) }) });
    await box().fill('What is a tokenizer?');
    await box().press('Enter');
    assert.deepEqual(await p.postedOf('chat/send'), [{ type: 'chat/send', text: 'What is a tokenizer?', conversationId: 'c1' }]);
    assert.equal(await box().inputValue(), '');
  });

  it('adds a new line on Shift+Enter instead of sending', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await box().click();
    await p.page.keyboard.type('line one');
    await p.page.keyboard.press('Shift+Enter');
    await p.page.keyboard.type('line two');
    assert.equal(await box().inputValue(), 'line one\nline two');
    assert.deepEqual(await p.postedOf('chat/send'), []);
    await p.page.keyboard.press('Enter');
    assert.deepEqual(await p.postedOf('chat/send'), [{ type: 'chat/send', text: 'line one\nline two' }]);
  });

  it('cancels a streaming reply on Esc, and does not send while one streams', async () => {
    const c = conversation([userEntry('u1', 'q'), assistantEntry('a1', 'partial', { status: 'streaming' })], { streamingId: 'a1' });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: c }) });
    await box().fill('next question, typed while streaming');
    await box().press('Enter');
    assert.deepEqual(await p.postedOf('chat/send'), [], 'Enter does not send during a stream');
    assert.equal(await box().inputValue(), 'next question, typed while streaming', 'typing is kept');
    await box().press('Escape');
    assert.deepEqual(await p.postedOf('chat/cancel'), [{ type: 'chat/cancel', conversationId: 'c1' }]);
  });

  it('has Send and Cancel buttons, each enabled only when it can act', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u1', 'q')]) }) });
    const send = p.page.getByRole('button', { name: 'Send', exact: true });
    const cancel = p.page.getByRole('button', { name: 'Cancel', exact: true });
    assert.equal(await send.isDisabled(), true, 'nothing to send yet');
    assert.equal(await cancel.isDisabled(), true, 'nothing to cancel');
    await box().fill('hello');
    assert.equal(await send.isDisabled(), false);
    await send.click();
    assert.deepEqual(await p.postedOf('chat/send'), [{ type: 'chat/send', text: 'hello', conversationId: 'c1' }]);
    await p.post({ type: 'chat/conversation', conversation: conversation([userEntry('u1', 'hello'), assistantEntry('a1', '', { status: 'streaming' })], { streamingId: 'a1' }) });
    assert.equal(await cancel.isDisabled(), false);
    await cancel.click();
    assert.deepEqual(await p.postedOf('chat/cancel'), [{ type: 'chat/cancel', conversationId: 'c1' }]);
  });

  it('asks for an estimate once typing pauses and shows tokens and cost, or that the price varies', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await box().click();
    await p.page.keyboard.type('Summarise the SSE spec', { delay: 20 });
    const request = await p.waitForPosted((m) => m.type === 'chat/estimate');
    assert.equal(request.text, 'Summarise the SSE spec');
    assert.equal((await p.postedOf('chat/estimate')).length, 1, 'one request for a burst of keystrokes');
    await p.post({ type: 'chat/estimated', promptTokens: 1234, cost: '0.0037', varies: false });
    const top = p.page.locator('nt-composer .estimate');
    assert.equal((await top.textContent())?.replace(/\s+/g, ' ').trim(), '≈ 1,234 tok · $0.0037');
    await p.post({ type: 'chat/estimated', promptTokens: 1240, varies: true });
    assert.equal((await top.textContent())?.replace(/\s+/g, ' ').trim(), '≈ 1,240 tok · price varies');
    // Routed: the provider whose prices the estimate uses; none left: said before the send.
    await p.post({ type: 'chat/estimated', promptTokens: 1240, cost: '0.0046', varies: false, provider: 'Fastlane' });
    assert.equal((await top.textContent())?.replace(/\s+/g, ' ').trim(), '≈ 1,240 tok · $0.0046');
    assert.equal(await top.getAttribute('title'), "Estimated at Fastlane's prices (the provider the routing picks)");
    await p.post({ type: 'chat/estimated', promptTokens: 1240, cost: '0.0037', varies: false, noProvider: 'zero data retention' });
    const none = p.page.getByRole('status').filter({ hasText: 'no provider meets the routing' });
    assert.equal((await none.textContent())?.trim(), 'no provider meets the routing: zero data retention');
    assert.match((await none.getAttribute('title')) ?? '', /OpenRouter would refuse the send/);
  });

  it('shows the selected model and asks the host to change it on click', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ selectedModel: 'openai/gpt-4.1-mini' }) });
    const picker = p.page.getByRole('button', { name: 'Model: openai/gpt-4.1-mini. Change model' });
    await picker.click();
    assert.deepEqual(await p.postedOf('view/runCommand'), [{ type: 'view/runCommand', command: 'selectModel' }]);
  });

  it('keeps the draft, the open drawer and the reading position across a reload', async () => {
    const many = Array.from({ length: 60 }, (_, i) => userEntry(`m${i}`, `line ${i}\n`.repeat(3)));
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation(many) }) });
    await box().fill('half-written thought');
    await p.page.getByRole('button', { name: 'history', exact: true }).click();
    const log = p.page.getByRole('log', { name: 'Transcript' });
    await log.evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    await p.page.waitForTimeout(700); // view state is saved after a short pause
    const topEntry = () =>
      log.evaluate((el) => {
        const top = el.getBoundingClientRect().top;
        for (const entry of el.querySelectorAll('nt-entry')) {
          const r = entry.getBoundingClientRect();
          if (r.bottom > top) return { id: entry.shadowRoot?.querySelector('article')?.dataset.id, offset: Math.round(top - r.top) };
        }
        return undefined;
      });
    const before = await topEntry();
    assert.ok(before && before.id !== 'm59', `scrolled away from the end: ${JSON.stringify(before)}`);
    await p.reload();
    assert.deepEqual((await p.posted()).map((m) => m.type).filter((t) => t === 'view/ready'), ['view/ready']);
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation(many) }) });
    assert.equal(await box().inputValue(), 'half-written thought');
    assert.ok(await p.page.getByRole('complementary', { name: 'History' }).isVisible(), 'the history drawer is open again');
    await p.settle();
    assert.deepEqual(await topEntry(), before, 'the same entry is at the top, scrolled by the same amount');
  });
});
