/**
 * The page as a whole: the ready handshake, dropping malformed host messages, layout by
 * container width and placement, modes, looks, and keyboard access to the drawers.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage } from './harness';
import { richConversation, snapshot } from './fixtures';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';

describe('webview shell', function () {
  let p: WebviewPage;

  afterEach(async () => {
    assert.deepEqual(p.errors, [], 'the page logged errors');
    await p.close();
  });

  it('announces ready with the protocol version once its script has loaded', async () => {
    p = await WebviewPage.open();
    assert.deepEqual(await p.posted(), [{ type: 'view/ready', protocolVersion: PROTOCOL_VERSION }]);
  });

  it('drops a malformed host message, reports it with a webviewLog and keeps its state', async () => {
    p = await WebviewPage.open();
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation() }) });
    await p.postRaw({ type: 'view/snapshot', snapshot: { protocolVersion: PROTOCOL_VERSION, conversation: '<img src=x onerror=alert(1)>' } });
    await p.postRaw({ type: 'chat/stream', conversationId: 'c1', messageId: 'a2', content: 42 });
    await p.postRaw('not even an object');
    const logs = await p.postedOf('view/log');
    assert.equal(logs.length, 3);
    assert.ok(logs.every((l) => l.level === 'warn' && l.message.startsWith('Dropped a malformed host message')));
    assert.ok(logs.every((l) => !l.message.includes('onerror')), 'the report does not echo the payload');
    assert.equal(await p.page.locator('article').count(), 4, 'the transcript is untouched');
    assert.equal(await p.page.evaluate(() => document.documentElement.dataset.droppedMessages), '3');
  });

  it('asks to be reloaded, and says so, when the host speaks another protocol version', async () => {
    p = await WebviewPage.open();
    await p.postRaw({ type: 'view/snapshot', snapshot: { ...snapshot(), protocolVersion: PROTOCOL_VERSION + 1 } });
    await p.postRaw({ type: 'view/snapshot', snapshot: { ...snapshot(), protocolVersion: PROTOCOL_VERSION + 1 } });
    assert.deepEqual(await p.postedOf('view/reload'), [
      { type: 'view/reload', reason: `the extension speaks protocol ${PROTOCOL_VERSION + 1}, this view ${PROTOCOL_VERSION}` },
    ], 'asked once, not per message');
    assert.match(await p.deepText('nt-app'), /out of date; reloading/);
    assert.equal(await p.page.getByText('connecting to the extension host').count(), 0);
  });

  it('pairs every request with its reply and shows a failed one as a dismissable notice', async () => {
    p = await WebviewPage.open();
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation() }) });
    await p.page.getByRole('button', { name: 'regenerate' }).first().click();
    const requestId = await p.lastRequestId('chat/regenerate');
    const ids = (await p.postedWithIds()).map((m) => m.requestId);
    assert.equal(new Set(ids).size, ids.length, 'request ids are unique');
    await p.post({ type: 'host/reply', requestId: 'someone-elses', ok: false, error: 'not for this page' });
    assert.equal(await p.page.getByText('not for this page').count(), 0, 'a reply to an unknown id is ignored');
    await p.post({ type: 'host/reply', requestId, ok: false, error: 'The history file is locked by another window.' });
    const notice = p.page.getByText('The history file is locked by another window.');
    assert.equal(await notice.count(), 1);
    await p.clearPosted();
    await p.page.getByRole('button', { name: 'Dismiss' }).click();
    await p.settle();
    assert.equal(await notice.count(), 0);
    assert.deepEqual(await p.postedOf('notice/dismiss'), [], 'a local failure is dismissed without asking the host');
  });

  it('is a single column with a telemetry strip when narrow, and the bento grid when wide', async () => {
    p = await WebviewPage.open({ width: 400 });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation() }) });
    const visible = async () => ({
      strip: await p.page.locator('nt-telemetry.strip').isVisible(),
      telemetryRail: await p.page.locator('aside.rail.telemetry').isVisible(),
      modelRail: await p.page.locator('aside.rail.model').isVisible(),
    });
    assert.deepEqual(await visible(), { strip: true, telemetryRail: false, modelRail: false });
    await p.page.setViewportSize({ width: 1300, height: 760 });
    await p.settle();
    assert.deepEqual(await visible(), { strip: false, telemetryRail: true, modelRail: true });
    const widths = await p.page.evaluate(() =>
      ['main', 'aside.rail.telemetry', 'aside.rail.model'].map(
        (sel) => document.querySelector('nt-app')!.shadowRoot!.querySelector(sel)!.getBoundingClientRect().width,
      ),
    );
    const total = widths.reduce((a, b) => a + b, 0);
    const shares = widths.map((w) => Math.round((100 * w) / total));
    assert.ok(shares[0]! >= 60 && shares[0]! <= 75 && shares[1]! >= 15 && shares[2]! >= 8, `shares ${shares.join('/')}`);
  });

  it('uses the wide layout when opened as an editor tab', async () => {
    p = await WebviewPage.open({ width: 700 });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ placement: 'editor' }) });
    assert.equal(await p.page.locator('aside.rail.telemetry').isVisible(), true);
    assert.equal(await p.page.getByRole('button', { name: 'Open in editor' }).count(), 0, 'no "open in editor" inside the editor');
  });

  it('shows full metadata in research mode, less in compact, and content with a role marker in zen', async () => {
    p = await WebviewPage.open({ width: 1280 });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: richConversation() }) });
    const meta = p.page.locator('article[data-id="a2"] .meta');
    assert.match((await meta.textContent()) ?? '', /ttft 410 ms/);
    const modes = p.page.locator('aside.rail.telemetry').getByRole('group', { name: 'Display mode' });
    await modes.getByRole('button', { name: 'compact' }).click();
    const compact = ((await meta.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    assert.match(compact, /^\[\d\d:\d\d:\d\d\] ASSISTANT · 96 tok · \$0\.0041 \(est\.\)$/);
    await modes.getByRole('button', { name: 'zen' }).click();
    assert.equal((await meta.innerText()).trim(), 'ASSISTANT', 'zen keeps only a minimal role marker');
    assert.ok(await p.page.locator('article[data-id="a2"] .md').isVisible());
    assert.deepEqual((await p.postedOf('view/setMode')).map((m) => m.mode), ['compact', 'zen']);
    assert.equal(await modes.getByRole('button', { name: 'zen' }).getAttribute('aria-pressed'), 'true');
  });

  it('switches to the phosphor palette for the phosphor look', async () => {
    p = await WebviewPage.open();
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ look: 'phosphor', conversation: richConversation() }) });
    const colours = await p.page.evaluate(() => {
      const app = document.querySelector('nt-app')!;
      const cs = getComputedStyle(app);
      return { bg: cs.backgroundColor, accent: cs.getPropertyValue('--nt-accent').trim() };
    });
    assert.deepEqual(colours, { bg: 'rgb(10, 10, 15)', accent: '#00ff41' });
  });

  it('opens and closes the drawers from the keyboard and returns focus to their button', async () => {
    p = await WebviewPage.open();
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    const history = p.page.getByRole('button', { name: 'history', exact: true });
    await history.focus();
    await p.page.keyboard.press('Enter');
    const drawer = p.page.getByRole('complementary', { name: 'History' });
    await drawer.waitFor();
    assert.equal(await history.getAttribute('aria-expanded'), 'true');
    assert.equal(await drawer.evaluate((el) => el.matches(':focus')), true, 'focus moves into the drawer');
    await p.page.keyboard.press('Escape');
    assert.equal(await drawer.count(), 0);
    assert.equal(await history.evaluate((el) => el.matches(':focus')), true, 'focus returns to the button');
  });

  it('asks for an API key when none is stored', async () => {
    p = await WebviewPage.open();
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ hasApiKey: false }) });
    await p.page.getByRole('button', { name: 'Set API Key' }).click();
    assert.deepEqual(await p.postedOf('view/runCommand'), [{ type: 'view/runCommand', command: 'setApiKey' }]);
  });
});
