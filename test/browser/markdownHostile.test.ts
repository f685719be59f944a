/**
 * Hostile replies (hostileCorpus.ts) in a real browser: whatever a reply holds, no exception
 * reaches the page, the entry is never empty, a stream never freezes at its last good render
 * (the end of the reply is shown), and the streamed result equals the one-shot render. How long
 * an update holds the main thread is a benchmark figure (test/bench/markdownCurve.bench.ts),
 * never asserted here.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage } from './harness';
import { markdownProbe } from './probe';
import { assistantEntry, conversation, snapshot, userEntry } from './fixtures';
import { END_MARK, evenCuts, hostileCorpus } from './hostileCorpus';
import type { ChunkReport, HostileResult } from './probe/markdownProbe';

describe('markdown: hostile replies', function () {
  this.timeout(600_000);

  describe('in the renderer', () => {
    let p: WebviewPage;
    before(async () => {
      p = await WebviewPage.open();
      await p.goto({ script: await markdownProbe() });
      await p.page.waitForFunction(() => '__md' in window);
    });
    after(async () => {
      await p.close();
    });

    for (const { name, text } of hostileCorpus()) {
      it(`${name}: shown, never empty, streamed = one-shot`, async () => {
        const result = await p.page.evaluate(
          ({ text, cuts }) => (window as unknown as { __md: { hostile(t: string, c: number[]): Promise<HostileResult> } }).__md.hostile(text, cuts),
          { text, cuts: evenCuts(text.length, 40) },
        );
        assert.equal(result.error, undefined, 'no exception');
        assert.ok(result.onceText.includes('An ordinary first paragraph.'), 'the prose before it is shown (one-shot)');
        assert.ok(result.onceText.includes(END_MARK), 'the end of the reply is shown (one-shot)');
        assert.ok(result.streamedText.includes(END_MARK), 'the end of the reply is shown (streamed)');
        assert.ok(result.equal, 'streamed equals one-shot');
        assert.deepEqual(p.errors, []);
      });
    }

    it('draws a long text in blocks of at most 8 KB (one-shot, while streaming, and streamed), keeping every character', async () => {
      // One 1 MB line, and long lines with no space to cut at: the two ways a cut is found.
      for (const text of ['word '.repeat(60_000), `${'ab'.repeat(4500)}\n`.repeat(20)]) {
        const r = await p.page.evaluate(
          ({ text, cuts }) => (window as unknown as { __md: { chunking(t: string, c: number[]): ChunkReport } }).__md.chunking(text, cuts),
          { text, cuts: evenCuts(text.length, 30) },
        );
        assert.ok(r.textKept, 'the text is all there');
        for (const [name, lengths] of Object.entries({ once: r.once, live: r.live, streamed: r.streamed })) {
          const total = lengths.reduce((a, b) => a + b, 0);
          assert.ok(total >= text.length * 0.9, `${name}: ${total} of ${text.length} characters in chunks`);
          assert.ok(Math.max(...lengths) <= 8192, `${name}: a chunk of ${Math.max(...lengths)} characters`);
        }
        assert.deepEqual(r.streamed, r.once, 'streamed and one-shot cut the text alike');
      }
    });
  });

  describe('in the app', () => {
    let p: WebviewPage;
    beforeEach(async () => {
      p = await WebviewPage.open();
    });
    afterEach(async () => {
      await p.close();
    });

    const crashers = hostileCorpus().filter((c) => /×2000 on one line|"- "×2000|"1. "×5000|\*×3000/.test(c.name));

    it('a history entry holding a reply that used to crash the renderer shows all of its text', async () => {
      assert.equal(crashers.length, 4);
      const entries = crashers.flatMap((c, i) => [userEntry(`u${i}`, c.name), assistantEntry(`a${i}`, c.text)]);
      await p.post({ type: 'snapshot', snapshot: snapshot({ conversation: conversation(entries) }) });
      for (let i = 0; i < crashers.length; i++) {
        const md = p.page.locator(`article[data-id="a${i}"] .md`);
        await md.getByText(END_MARK).waitFor({ timeout: 20_000 });
        assert.ok(((await md.textContent()) ?? '').includes('An ordinary first paragraph.'));
      }
      assert.deepEqual(p.errors, []);
    });

    it('a streamed reply that used to freeze the view keeps showing new text to its end', async () => {
      const { text } = crashers[0]!;
      await p.post({
        type: 'snapshot',
        snapshot: snapshot({ conversation: conversation([userEntry('u1', 'q'), assistantEntry('a1', '', { status: 'streaming' })], { streamingId: 'a1' }) }),
      });
      let sent = 0;
      for (const at of evenCuts(text.length, 8)) {
        await p.post({ type: 'stream', conversationId: 'c1', messageId: 'a1', content: text.slice(sent, at), reasoning: '' });
        sent = at;
      }
      await p.page.locator('article[data-id="a1"] .md').getByText(END_MARK).waitFor({ timeout: 20_000 });
      assert.deepEqual(p.errors, []);
    });

    it('offers "render anyway" for a block held back for its cost, and formats it on request', async () => {
      const costly = `${'**a_'.repeat(300)} **done**`;
      await p.post({ type: 'snapshot', snapshot: snapshot({ conversation: conversation([assistantEntry('a1', `Intro.\n\n${costly}\n\n${END_MARK}`)]) }) });
      const md = p.page.locator('article[data-id="a1"] .md');
      const button = md.getByRole('button', { name: 'render anyway' });
      await button.waitFor();
      assert.equal(await md.locator('strong').count(), 0, 'held back as text');
      await button.click();
      await md.locator('strong').first().waitFor();
      assert.equal(await md.getByRole('button', { name: 'render anyway' }).count(), 0);
      assert.ok(((await md.textContent()) ?? '').includes(END_MARK));
      assert.deepEqual(p.errors, []);
    });
  });
});
