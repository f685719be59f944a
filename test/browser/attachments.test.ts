/**
 * Attachments in the composer: the `@` menu by keyboard (arrows, Enter, Escape), the chips the
 * host sends (label, tokens, cost), removing one by its button or by Delete/Backspace on the
 * focused chip, the live region that announces them, the send naming its chips, the estimate
 * asked again when chips change, the read-only chips under a sent message, and axe on it all.
 */
import * as assert from 'node:assert/strict';
import { pagePerTest, type WebviewPage } from './harness';
import { conversation, snapshot, userEntry } from './fixtures';

describe('attachments', function () {
  let p: WebviewPage;
  pagePerTest((page) => (p = page));

  const box = () => p.page.getByRole('textbox', { name: 'Message' });
  const chips = () => p.page.locator('nt-composer nt-attachment-chips li');
  // The composer's picker has options of its own (routing sort): only the @ menu's count here.
  const menu = () => p.page.getByRole('listbox', { name: 'Attach' });
  const menuOptions = () => menu().getByRole('option');
  const fileChip = { id: 'a1', kind: 'file' as const, label: 'src/util.ts', tokens: 1234, cost: '0.003702' };
  const gitChip = { id: 'a2', kind: 'git' as const, label: 'git diff (staged)', tokens: 56 };

  it('offers the sources on @, filters them, moves with the arrows and picks with Enter', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await box().click();
    await p.page.keyboard.type('look at @');
    const options = menuOptions();
    assert.deepEqual(await options.allTextContents().then((t) => t.map((x) => x.trim().split(/\s/)[0])), ['@file', '@folder', '@selection', '@problems', '@terminal', '@git', '@image']);
    assert.equal(await box().getAttribute('aria-controls'), 'mentions', 'the text box names the menu it drives');
    await p.page.keyboard.type('f');
    assert.equal(await options.count(), 2, '@f: file and folder');
    await p.page.keyboard.press('ArrowDown');
    assert.equal(await menu().getByRole('option', { selected: true }).textContent().then((t) => t?.trim().split(/\s/)[0]), '@folder');
    await p.page.keyboard.press('Enter');
    assert.deepEqual(await p.postedOf('attach/pick'), [{ type: 'attach/pick', source: 'folder' }]);
    assert.equal(await box().inputValue(), 'look at ', 'the @word left the text');
    assert.equal(await options.count(), 0, 'the menu closed');
    assert.deepEqual(await p.postedOf('chat/send'), [], 'Enter picked, it did not send');
  });

  it('closes the menu on Escape without picking, and does not open it inside a word', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await box().click();
    await p.page.keyboard.type('@gi');
    assert.equal(await menuOptions().count(), 1);
    await p.page.keyboard.press('Escape');
    assert.equal(await menuOptions().count(), 0);
    assert.deepEqual(await p.postedOf('attach/pick'), []);
    await box().fill('');
    await p.page.keyboard.type('me@example');
    assert.equal(await menuOptions().count(), 0, 'an e-mail address is not a mention');
  });

  it('shows chips with label, tokens and cost; announces them; sends their ids; removes by button and by Delete', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u1', 'earlier')]) }) });
    await p.post({ type: 'attach/list', items: [fileChip, gitChip], limit: 50_000 });
    assert.equal(await chips().count(), 2);
    const first = (await chips().first().textContent())?.replace(/\s+/g, ' ') ?? '';
    assert.match(first, /@file src\/util\.ts 1,?234 tok · \$0\.00370?/);
    assert.match((await p.page.locator('nt-composer nt-attachment-chips [role="status"]').textContent()) ?? '', /Attached file src\/util\.ts, 1,?234 tokens, about \$0\.0037/);
    // The estimate is asked again: the send now carries more.
    await p.waitForPosted((m) => m.type === 'chat/estimate');

    // Send is possible with chips alone, and names them.
    await box().click();
    await box().press('Enter');
    assert.deepEqual(await p.postedOf('chat/send'), [{ type: 'chat/send', text: '', conversationId: 'c1', attachmentIds: ['a1', 'a2'] }]);

    await p.page.getByRole('button', { name: 'Remove attachment git diff (staged)' }).click();
    assert.deepEqual(await p.postedOf('attach/remove'), [{ type: 'attach/remove', id: 'a2' }]);
    await chips().first().focus();
    await p.page.keyboard.press('Delete');
    assert.deepEqual((await p.postedOf('attach/remove')).map((m) => m.id), ['a2', 'a1']);
    // The host answers with the new list; the live region says what went.
    await p.post({ type: 'attach/list', items: [], limit: 50_000 });
    assert.equal(await chips().count(), 0);
    assert.match((await p.page.locator('nt-composer nt-attachment-chips [role="status"]').textContent()) ?? '', /Removed attachment src\/util\.ts/);
  });

  it('reaches the chips with Tab and removes the focused one with Backspace', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await p.post({ type: 'attach/list', items: [fileChip], limit: 50_000 });
    await p.page.getByRole('button', { name: /^Model:/ }).focus();
    let reached = false;
    for (let i = 0; i < 4 && !reached; i++) {
      await p.page.keyboard.press('Tab');
      reached = await chips().first().evaluate((li) => (li.getRootNode() as ShadowRoot).activeElement === li);
    }
    assert.ok(reached, 'the chip is in the tab order after the model button');
    assert.match((await chips().first().getAttribute('aria-label')) ?? '', /file src\/util\.ts, 1,?234 tokens.*Press Delete to remove/);
    await p.page.keyboard.press('Backspace');
    assert.deepEqual(await p.postedOf('attach/remove'), [{ type: 'attach/remove', id: 'a1' }]);
  });

  it('lists what a sent message carried, read-only, and passes axe with chips and the menu open', async () => {
    const sent = userEntry('u1', 'What changed?', { attachments: [{ kind: 'git', label: 'git diff (staged)', tokens: 56, cost: '0.000168' }] });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([sent]) }) });
    const listed = p.page.locator('nt-entry nt-attachment-chips li');
    assert.equal(await listed.count(), 1);
    assert.match((await listed.textContent())?.replace(/\s+/g, ' ') ?? '', /@git git diff \(staged\) 56 tok/);
    assert.equal(await p.page.locator('nt-entry nt-attachment-chips button').count(), 0, 'no remove button under a sent message');
    await p.post({ type: 'attach/list', items: [fileChip, gitChip], limit: 50_000 });
    await box().click();
    await p.page.keyboard.type('@');
    const violations = await p.axe();
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.help}`), []);
  });

  it('sends a pasted image to the host as bytes, and shows the chip the host makes with its thumbnail', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await box().click();
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    await box().evaluate((area, bytes) => {
      const transfer = new DataTransfer();
      // The name and type lie on purpose: the host decides from the bytes.
      transfer.items.add(new File([new Uint8Array(bytes)], 'shot.txt', { type: 'text/plain' }));
      area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true, composed: true }));
    }, png);
    const sent = await p.waitForPosted((m) => m.type === 'attach/media');
    assert.deepEqual(sent, { type: 'attach/media', name: 'shot.txt', data: Buffer.from(png).toString('base64') });
    assert.equal(await box().inputValue(), '', 'the paste put no text in the box');

    const thumb = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
    await p.post({ type: 'attach/list', items: [{ id: 'i1', kind: 'image', label: 'shot.png', tokens: 0, cost: '0.000217', thumb }], limit: 50_000 });
    const chip = chips().first();
    assert.equal(await chip.locator('img.thumb').getAttribute('src'), thumb);
    assert.equal(await chip.getAttribute('aria-label'), 'image shot.png, about $0.000217. Press Delete to remove.');
    await chip.focus();
    await p.page.keyboard.press('Delete');
    assert.deepEqual(await p.postedOf('attach/remove'), [{ type: 'attach/remove', id: 'i1' }]);
  });

  it('gives a refused send’s text back to the composer (told once, by the host’s notice), and keeps newer text', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await box().fill('Describe the picture');
    await box().press('Enter');
    assert.equal(await box().inputValue(), '', 'the box empties at once');
    await p.post({ type: 'host/reply', requestId: await p.lastRequestId('chat/send'), ok: false, error: 'The message was not sent.', refused: true });
    for (let i = 0; i < 50 && (await box().inputValue()) === ''; i++) await p.page.waitForTimeout(100);
    assert.equal(await box().inputValue(), 'Describe the picture', 'the text is back');
    assert.equal(await p.page.getByText('The message was not sent.').count(), 0, 'no second message: the host’s notice said why');
    await box().press('Enter');
    await box().fill('something new');
    await p.post({ type: 'host/reply', requestId: await p.lastRequestId('chat/send'), ok: false, error: 'The message was not sent.', refused: true });
    assert.equal(await box().inputValue(), 'something new', 'newer text is not overwritten');
  });

  it('does not read a pasted file over the size bound: the host is told its size', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await box().evaluate((area) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'huge.png', { type: 'image/png' }));
      area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true, composed: true }));
    });
    const sent = await p.waitForPosted((m) => m.type === 'attach/media');
    assert.deepEqual(sent, { type: 'attach/media', name: 'huge.png', data: '', size: 5 * 1024 * 1024 + 1 });
  });

  it('draws sent selections as highlighted code with their language and a path:lines link that asks the host', async () => {
    // "Send Selection" sent at once (question, then path:lines and a fence) and a selection chip.
    const immediate = userEntry('u1', 'Why is this slow?\n\nsrc/loop.py:3-4\n```python\ndef total(xs):\n    return sum(x for x in xs)\n```');
    const chipped = userEntry('u2', 'And this?', {
      attachments: [{ kind: 'selection', label: 'src/a.ts:10-12', tokens: 9 }],
      sentCode: [{ label: 'src/a.ts:10-12', language: 'ts', code: 'const answer: number = 42;\nconst s = "```";' }],
    });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([immediate, chipped]) }) });
    const first = p.page.locator('article[data-id="u1"]');
    assert.equal((await first.locator('.plain').textContent())?.trim(), 'Why is this slow?', 'the question stays plain text');
    assert.doesNotMatch((await first.textContent()) ?? '', /```/, 'no literal fence markers');
    await first.locator('nt-sent-code code .hljs-keyword').first().waitFor({ timeout: 10_000 });
    assert.equal(await first.locator('nt-sent-code code .hljs-keyword').first().textContent(), 'def', 'python is highlighted');
    assert.equal((await first.locator('nt-sent-code .lang').textContent())?.trim(), 'python');
    await first.getByRole('link', { name: 'src/loop.py:3-4' }).click();
    const second = p.page.locator('article[data-id="u2"]');
    await second.locator('nt-sent-code code .hljs-keyword').first().waitFor({ timeout: 10_000 });
    assert.match((await second.locator('nt-sent-code code').textContent()) ?? '', /const s = "```";/, 'a fence inside the code stays code');
    await second.getByRole('link', { name: 'src/a.ts:10-12' }).click();
    assert.deepEqual(await p.postedOf('editor/openLocation'), [
      { type: 'editor/openLocation', messageId: 'u1', path: 'src/loop.py', startLine: 3, endLine: 4 },
      { type: 'editor/openLocation', messageId: 'u2', path: 'src/a.ts', startLine: 10, endLine: 12 },
    ]);
    // A refusal from the host (not a location this message carried) is shown, never silent.
    await p.post({ type: 'host/reply', requestId: await p.lastRequestId('editor/openLocation'), ok: false, error: 'That message did not send code from this location.' });
    await p.page.getByText('That message did not send code from this location.').waitFor();
    assert.deepEqual(await p.cspViolations(), []);
    const violations = await p.axe();
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.help}`), []);
  });
});
