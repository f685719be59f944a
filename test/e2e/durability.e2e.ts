/**
 * Crash durability in the real editor: a reply streams in code-server, the extension host is
 * killed with SIGKILL mid-stream (no shutdown hook runs), the workbench is reloaded. The user
 * message and the reply's text up to at least one second before the kill must be there, the
 * entry must show as interrupted with Retry, and Retry must complete it.
 *
 * The reply is watched as the view shows it (polled every 100 ms), so "the text one second
 * before the kill" is what a user saw then. Uses the fake OpenRouter's `slow` scenario (two
 * words every ~100 ms) and the shared session of harness.ts.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { Frame, Locator, Page } from 'playwright-core';
import { deepText, editorSession, type EditorSession } from './harness';
import { ensureApiKey, until } from './flows';

const API_KEY = 'sk-or-v1-e2e-durability-key-0123456789abcdef';
const UNIQUE = `kestrelmarmot${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pids of the extension host processes under code-server (VS Code forks them with --type=extensionHost). */
function extensionHosts(serverPid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] ?? '' }));
  const parent = new Map(rows.map((r) => [r.pid, r.ppid]));
  const under = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === serverPid) return true;
    return false;
  };
  return rows.filter((r) => /--type=extensionHost/.test(r.args) && under(r.pid)).map((r) => r.pid);
}

describe('Crash durability (E2E, kill -9 of the extension host mid-stream)', function () {
  this.timeout(300_000);
  let s: EditorSession;
  let page: Page;
  let frame: Frame;

  const app = (): Locator => frame.locator('nt-app');
  const transcript = (): Locator => app().getByRole('log', { name: 'Transcript' });


  /** Opens the chat view (slow after a kill) and sets the API key through the UI when none is stored. */
  async function ready(): Promise<void> {
    frame = await ensureApiKey(s, API_KEY, 120_000);
  }

  before(async () => {
    s = await editorSession();
    page = s.page;
    if (!s.fakeUrl) throw new Error('the fake OpenRouter is needed (test/fixtures/serve.ts)');
  });

  it('keeps the user message and the reply up to a second before the kill, shows it interrupted, and Retry completes it', async () => {
    await ready();
    await page.locator('.part.sidebar a.action-label[aria-label^="New Conversation"]').first().click({ timeout: 10_000 });
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const box = app().getByRole('textbox', { name: 'Message' });
    await box.waitFor({ state: 'visible', timeout: 15_000 });
    await box.fill(`[[scenario:slow]] ${UNIQUE} ${words}`);
    await box.press('Enter');

    // Watch the reply grow as the view shows it, for several seconds.
    const reply = transcript().locator('article.assistant').last();
    // Progress = the highest `wordN` the reply's text shows (the echo repeats the message in order).
    const lastWord = (text: string): number => Math.max(-1, ...[...text.matchAll(/word(\d+)/g)].map((m) => Number(m[1])));
    const seen: { at: number; word: number }[] = [];
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      const text = (await reply.locator('.content').textContent({ timeout: 1000 }).catch(() => null)) ?? '';
      const at = Date.now();
      const word = lastWord(text);
      if (word >= 0) seen.push({ at, word });
      if (seen.length > 0 && at - seen[0]!.at > 6_000) break;
      await sleep(100);
    }
    assert.ok(seen.length > 10, 'the reply streamed for several seconds');
    assert.equal(await reply.getAttribute('data-status'), 'streaming', 'still streaming when killed');

    const hosts = extensionHosts(s.server.pid);
    assert.ok(hosts.length > 0, 'found the extension host process');
    const killedAt = Date.now();
    for (const pid of hosts) process.kill(pid, 'SIGKILL');
    // What the view showed one second before the kill: at least this much must have been saved.
    const owed = Math.max(-1, ...seen.filter((x) => x.at <= killedAt - 1_000).map((x) => x.word));
    const shownAtKill = seen.at(-1)!.word;
    await s.screenshot('e2e-durability-1-killed');

    await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await ready();

    // Open the conversation from the history drawer.
    await app().locator('.tools button[data-drawer="archive"]').click({ timeout: 10_000 });
    const drawer = app().getByRole('complementary', { name: 'History' });
    await drawer.waitFor({ state: 'visible', timeout: 10_000 });
    await drawer.getByRole('searchbox', { name: 'Search history' }).fill(UNIQUE);
    const results = drawer.getByRole('list', { name: 'Search results' });
    await until('the search to find the conversation', async () => (await results.locator('button.hit').count()) > 0, 30_000);
    await results.locator('button.hit').first().click({ timeout: 10_000 });
    await drawer.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});

    const user = transcript().locator('article.user').filter({ hasText: UNIQUE }).last();
    await user.waitFor({ state: 'visible', timeout: 30_000 });
    const saved = transcript().locator('article.assistant').last();
    await until('the interrupted reply', async () => (await saved.getAttribute('data-status', { timeout: 1000 })) === 'partial', 30_000);
    const savedWord = lastWord((await saved.locator('.content').textContent()) ?? '');
    console.log(`      reply shown up to word${shownAtKill} at the kill, word${owed} one second before; saved up to word${savedWord}`);
    assert.ok(owed >= 0, 'the reply had text one second before the kill');
    assert.ok(savedWord >= owed, `the saved reply (up to word${savedWord}) holds what was shown 1 s before the kill (word${owed})`);
    assert.match(await deepText(frame), /stopped before it finished/);
    await s.screenshot('e2e-durability-2-reopened');

    const retry = saved.locator('.problem').getByRole('button', { name: 'Retry' });
    await retry.click({ timeout: 10_000 });
    const again = transcript().locator('article.assistant').last();
    await until('the retried reply to complete', async () => (await again.getAttribute('data-status', { timeout: 1000 })) === 'complete', 120_000);
    assert.match((await again.textContent()) ?? '', /word299/);
    await s.screenshot('e2e-durability-3-retried');
  });
});
