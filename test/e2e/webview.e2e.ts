/**
 * First end-to-end check in a real browser: the Neural Terminal activity-bar view opens, its
 * webview renders the Lit app and shows the endpoint it is configured with. axe-core (A, AA and
 * AAA) in the four themes runs in sidebar.e2e.ts, at sidebar widths and with content on screen.
 * Screenshots land in test-results/.
 */
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { deepText, editorSession, type EditorSession } from './harness';

describe('Neural Terminal webview (E2E, chromium + code-server)', function () {
  this.timeout(180_000);
  let s: EditorSession;
  let frame: Frame;

  before(async function () {
    this.timeout(240_000);
    s = await editorSession();
    frame = await s.openChatView(90_000);
  });

  it('opens from the activity bar and renders the Lit app <nt-app>', async () => {
    await frame.locator('nt-app').waitFor({ state: 'attached', timeout: 30_000 });
    const hasShadow = await frame.evaluate(() => !!document.querySelector('nt-app')?.shadowRoot);
    assert.equal(hasShadow, true, '<nt-app> should be a Lit element with a shadow root');
    // The transcript log is on screen (Playwright locators pierce open shadow roots)...
    await frame.getByRole('log', { name: 'Transcript' }).waitFor({ state: 'visible', timeout: 30_000 });
    // ...and the sidebar does not repeat the view title's wordmark in a second bar.
    assert.equal(await frame.locator('nt-app').getByText(/NEURAL\W*TERMINAL/).count(), 0, 'no duplicate wordmark in the sidebar');
    await s.screenshot('e2e-chat-view-dark');
  });

  it('shows the endpoint it is configured with (the fake OpenRouter)', async function () {
    if (!s.fakeUrl) this.skip();
    const host = new URL(s.fakeUrl!).host;
    const deadline = Date.now() + 30_000;
    let text = '';
    while (Date.now() < deadline) {
      text = await deepText(frame);
      if (text.includes(host)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.fail(`the webview never mentions the configured endpoint ${host}; its text: ${text.slice(0, 500)}`);
  });
});
