/**
 * Small steps the E2E flows share: a bounded poll, setting the API key through the UI when the
 * view says none is stored, and reading what the fake OpenRouter received and billed through
 * its `/__control` endpoints.
 */
import type { Frame, Locator, Page } from 'playwright-core';
import { editorSession, type EditorSession } from './harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; fails with `what` (and the last value) after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn().catch(() => undefined as T);
    if (last) return last;
    await sleep(200);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${String(last).slice(0, 300)})`);
}

/** Opens the chat view and sets the key through "Set API Key" → InputBox when none is stored; returns the view's frame. */
export async function ensureApiKey(s: EditorSession, key: string, openMs = 90_000): Promise<Frame> {
  const page: Page = s.page;
  const frame = await s.openChatView(openMs);
  const app = (): Locator => frame.locator('nt-app');
  const keyState = async () => (await app().locator('aside.rail.model dd').nth(2).textContent({ timeout: 2000 }))?.trim();
  const state = await until('the api key state', async () => {
    const t = await keyState();
    return t === 'missing' || t === 'stored' ? t : undefined;
  }, 60_000);
  if (state === 'stored') return frame;
  const button = app().locator('vscode-button', { hasText: 'Set API Key' });
  if (!(await button.isVisible())) {
    await page.locator('.part.sidebar a.action-label[aria-label^="New Conversation"]').first().click({ timeout: 10_000 });
    await button.waitFor({ state: 'visible', timeout: 15_000 });
  }
  await button.click({ timeout: 10_000 });
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(key);
  await input.press('Enter');
  await until('the key to be stored', async () => (await keyState()) === 'stored', 30_000);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  return frame;
}

/**
 * A suite's start: the shared editor session with the chat view open and `key` stored. Skips
 * the suite (through its hook's `ctx`) when no fake OpenRouter runs.
 */
export async function keyedSession(ctx: Mocha.Context, key: string): Promise<{ s: EditorSession; page: Page; frame: Frame }> {
  const s = await editorSession();
  if (!s.fakeUrl) ctx.skip();
  return { s, page: s.page, frame: await ensureApiKey(s, key) };
}

/** A request as the fake recorded it (`GET /__control/requests`). */
export interface FakeRequest {
  method: string;
  path: string;
  body: unknown;
  servedModel?: string;
  servedProvider?: string;
  generationId?: string;
  status?: number;
}

/** A generation the fake billed (`GET /__control/generations`). */
export interface FakeGeneration {
  id: string;
  total_cost: number;
  provider_name: string;
  native_tokens_cached: number;
  native_tokens_reasoning: number;
  model: string;
}

export async function fakeRequests(s: EditorSession): Promise<FakeRequest[]> {
  const res = await fetch(`${new URL(s.fakeUrl!).origin}/__control/requests`);
  return ((await res.json()) as { requests: FakeRequest[] }).requests;
}

export async function fakeGenerations(s: EditorSession): Promise<FakeGeneration[]> {
  const res = await fetch(`${new URL(s.fakeUrl!).origin}/__control/generations`);
  return ((await res.json()) as { data: FakeGeneration[] }).data;
}

/** Picks a model in the view's models drawer and waits until the rail shows it (the drawer closed again). */
export async function pickModel(frame: Frame, id: string): Promise<void> {
  const app = frame.locator('nt-app');
  const toggle = app.locator('.tools button[data-drawer="models"]');
  // Under heavy load a repaint can keep the button "unstable" for Playwright: the user's click is the same event.
  await toggle.click({ timeout: 10_000 }).catch(() => toggle.dispatchEvent('click'));
  await app.locator('nt-models button.model', { hasText: id }).first().click({ timeout: 20_000 });
  await until(`the rail to show ${id}`, async () => ((await app.locator('aside.rail.model dd').first().textContent()) ?? '').includes(id), 15_000);
  // The drawer covers the sidebar's whole width: close it through its frame's button, and make sure it is gone.
  await app.locator('nt-drawer button.close').first().click({ timeout: 5000 }).catch(() => {});
  await until('the models drawer to close', async () => (await app.locator('nt-models').count()) === 0 || !(await app.locator('nt-models').first().isVisible()), 10_000);
}

/** Ticks exactly the rows naming `wanted` in the open multi-select quick pick (rows carry aria-checked). */
export async function tickExactly(page: Page, wanted: readonly string[]): Promise<void> {
  const quickInput = page.locator('.quick-input-widget');
  const list = quickInput.locator('.monaco-list-row');
  await until('the quick pick rows', async () => (await list.count()) >= wanted.length, 20_000);
  for (let pass = 0; pass < 3; pass++) {
    const n = await list.count();
    for (let i = 0; i < n; i++) {
      const row = list.nth(i);
      const text = (await row.textContent()) ?? '';
      const checked = await row.getAttribute('aria-checked');
      if (checked === null) continue; // a separator
      const want = wanted.some((id) => text.includes(id));
      if (want !== (checked === 'true')) await row.click({ timeout: 5000 });
    }
    const title = (await quickInput.textContent()) ?? '';
    if (title.includes(`${wanted.length} picked`)) return;
    await sleep(300);
  }
}
