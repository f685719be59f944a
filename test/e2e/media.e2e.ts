/**
 * Images in the real workbench (code-server + chromium), against the fake OpenRouter. A real PNG
 * is attached through `@image` and code-server's own open dialog (a typed path), and another
 * one is pasted into the real webview's message box; each chip shows a thumbnail and the
 * image's price from the fake's catalog. The send reaches a vision model with the file's exact
 * bytes as an `image_url` part. Then a text-only model is picked: the send is refused with a
 * message naming models that can, and the typed text and the chip stay.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { CATALOG_MODELS } from '../fixtures/catalog';
import { splitPng } from '../fixtures/png';
import { formatUsd } from '../../src/webview/format';
import { MAX_THUMB_CHARS } from '../../src/shared/media';
import { deepText, type EditorSession } from './harness';
import { fakeRequests, pickModel, until, keyedSession } from './flows';

const API_KEY = 'sk-or-v1-e2e-media-key-0123456789abcdef';
const VISION = 'openai/gpt-4o-mini';
const TEXT_ONLY = 'qwen/qwen3-coder';
const STAMP = Date.now().toString(36);

interface SentPart {
  type: string;
  text?: string;
  image_url?: { url: string };
}

describe('Images: attach, price, send, refuse (E2E, chromium + code-server)', function () {
  this.timeout(240_000);
  let s: EditorSession;
  let page: Page;
  let frame: Frame;
  const photo = splitPng(640, 400);
  const pasted = splitPng(300, 300, 7);

  const app = (): Locator => frame.locator('nt-app');
  const textbox = (): Locator => app().getByRole('textbox', { name: 'Message' });
  const chips = (): Locator => app().locator('nt-composer nt-attachment-chips li');
  const quickInput = (): Locator => page.locator('.quick-input-widget');
  const assistants = (): Locator => app().getByRole('log', { name: 'Transcript' }).locator('article.assistant');
  const imagePrice = (id: string): string => CATALOG_MODELS.find((m) => m.id === id)!.pricing.image;

  before(async function () {
    this.timeout(240_000);
    ({ s, page, frame } = await keyedSession(this, API_KEY));
  });

  after(async () => {
    // Picking a model makes it the default for new conversations: later files expect the run's.
    if (s && frame) await pickModel(frame, VISION).catch(() => undefined);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`e2e-media-FAILED-${this.currentTest.title.slice(0, 40)}`).catch(() => {});
  });

  it('attaches a PNG with @image through the open dialog: a thumbnail, the catalog’s image price, and the exact bytes in the request', async () => {
    await page.locator('.part.sidebar a.action-label[aria-label^="New Conversation"]').first().click({ timeout: 10_000 });
    frame = await s.webviewFrame(30_000);
    await pickModel(frame, VISION);
    const file = join(s.run.workspace, `photo-${STAMP}.png`);
    writeFileSync(file, photo);

    await textbox().click();
    await textbox().pressSequentially('@im');
    await app().getByRole('option', { name: /@image/ }).waitFor({ state: 'visible', timeout: 10_000 });
    await textbox().press('Enter');
    // code-server's own open dialog: a quick input whose box takes a path.
    await until('the open dialog', async () => (await quickInput().isVisible()) && /Attach an image or PDF/.test((await quickInput().textContent()) ?? ''), 20_000);
    const input = quickInput().locator('input');
    await input.fill(file);
    await s.screenshot('e2e-media-dialog');
    await input.press('Enter');

    frame = await s.webviewFrame(30_000);
    const chip = chips().filter({ hasText: `photo-${STAMP}.png` });
    await chip.waitFor({ state: 'visible', timeout: 30_000 });
    const price = formatUsd(imagePrice(VISION));
    assert.match((await chip.textContent()) ?? '', new RegExp(`@image[\\s\\S]*${price.replace(/[$.]/g, '\\$&')}`), `the chip shows the catalog's per-image price ${price}`);
    // The host cannot decode images: it asked the view for a thumbnail, and the chip shows that, not the image.
    await until('the chip’s thumbnail', async () => (await chip.locator('img.thumb').count()) === 1, 20_000);
    const thumb = (await chip.locator('img.thumb').getAttribute('src')) ?? '';
    assert.match(thumb, /^data:image\/(webp|png|jpeg);base64,/);
    assert.ok(thumb.length <= MAX_THUMB_CHARS && thumb.length * 20 < photo.length, `a small thumbnail (${thumb.length} chars for a ${photo.length}-byte image)`);
    await s.screenshot('e2e-media-chip');

    const before = (await fakeRequests(s)).filter((r) => r.path.endsWith('/chat/completions')).length;
    await textbox().fill(`What is in this picture ${STAMP}?`);
    await textbox().press('Enter');
    await until('the reply', async () => (await assistants().last().getAttribute('data-status', { timeout: 1000 })) === 'complete', 60_000);
    const sent = (await fakeRequests(s)).filter((r) => r.path.endsWith('/chat/completions')).slice(before);
    assert.equal(sent.length, 1, 'one request');
    const body = sent[0]!.body as { model: string; messages: { role: string; content: string | SentPart[] }[] };
    assert.equal(body.model, VISION);
    const last = body.messages.at(-1)!;
    assert.equal(last.role, 'user');
    assert.ok(Array.isArray(last.content), 'the user message is sent as content parts');
    const parts = last.content as SentPart[];
    assert.deepEqual(parts.map((p) => p.type), ['text', 'image_url']);
    assert.equal(parts[0]!.text, `What is in this picture ${STAMP}?`);
    assert.equal(parts[1]!.image_url?.url, `data:image/png;base64,${photo.toString('base64')}`, 'the file’s exact bytes');
    assert.equal(await chips().count(), 0, 'the chip left the composer with the send');
    // The sent message lists the image, with its thumbnail.
    const user = app().getByRole('log', { name: 'Transcript' }).locator('article.user').last();
    const sentThumb = user.locator('nt-attachment-chips li', { hasText: `photo-${STAMP}.png` }).locator('img.thumb');
    await sentThumb.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await sentThumb.getAttribute('src'), thumb, 'the stored message keeps the same thumbnail');
    await s.screenshot('e2e-media-sent');
  });

  it('pastes an image into the webview, then refuses a text-only model with a clear message and loses nothing', async () => {
    // A paste as the browser delivers it: a ClipboardEvent carrying a File, on the real message box.
    await textbox().click();
    await textbox().evaluate((box, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'clip.png', { type: 'image/png' }));
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
    }, pasted.toString('base64'));
    const chip = chips().filter({ hasText: 'clip.png' });
    await chip.waitFor({ state: 'visible', timeout: 30_000 });
    await until('the pasted chip’s thumbnail', async () => (await chip.locator('img.thumb').count()) === 1, 20_000);
    assert.ok(((await chip.locator('img.thumb').getAttribute('src')) ?? '').length <= MAX_THUMB_CHARS, 'made by the view from the pasted file');

    await pickModel(frame, TEXT_ONLY);
    // The text-only model's chip price: none for images (it cannot take them).
    const typed = `Describe the pasted one ${STAMP}`;
    await textbox().fill(typed);
    const before = (await fakeRequests(s)).filter((r) => r.path.endsWith('/chat/completions')).length;
    await textbox().press('Enter');
    const told = (await until('the refusal', async () => {
      const text = await deepText(frame);
      return /cannot read images/.test(text) ? text : undefined;
    }, 30_000)) ?? '';
    assert.match(told, new RegExp(`${TEXT_ONLY.replace(/[/.]/g, '\\$&')} cannot read images`), 'the message names the model');
    assert.match(told, /Models that can: [^.]*openai\/gpt-4o-mini/, 'and models that can');
    assert.match(told, /nothing was sent/);
    await s.screenshot('e2e-media-refused');
    assert.equal(await textbox().inputValue(), typed, 'the typed text stays');
    assert.equal(await chips().filter({ hasText: 'clip.png' }).count(), 1, 'the chip stays');
    const after = (await fakeRequests(s)).filter((r) => r.path.endsWith('/chat/completions')).length;
    assert.equal(after, before, 'nothing reached the server');
    // Remove the chip (its × button) so later files start with an empty composer.
    await chip.getByRole('button', { name: /Remove attachment clip\.png/ }).click();
    await until('the chip removed', async () => (await chips().count()) === 0, 10_000);
    await textbox().fill('');
  });
});
