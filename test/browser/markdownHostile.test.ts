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
import type { ChunkReport, GroupReport, HostileResult, TableReport } from './probe/markdownProbe';
import type { HighlightReport, LongCodeReport } from './probe/codeProbe';

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

    // A closed long fence was marked's markup, sanitized, and one text node laid out at once (57–62 ms tasks for 200 KB).
    it('builds a long code block from its token, in chunks, with the text and language class marked and the sanitizer give', async () => {
      const body = (line: string) => Array.from({ length: 800 }, (_, i) => `${line} ${i}`).join('\n');
      const docs = [
        `\`\`\`ts\n${body('<script>alert(1)</script> & &amp; "q" \'a\' \u0000 \\n')}\n\`\`\``,
        `\`\`\`c++ extra words\n${body('x++;')}\n\`\`\``,
        `\`\`\`ts{onclick=x}\n${body('y')}\n\`\`\``,
        `\`\`\`a"b\n${body('y')}\n\`\`\``,
        `~~~${'l'.repeat(31)}\n${body('y')}`,
        `\`\`\`\\&lt;py\n${body('y')}\n\`\`\``,
        `\`\`\`\n${body('no language')}\n\n\n\`\`\``,
        `Intro\n\n${body('    indented code')}\n`,
        `\`\`\`\n${'x'.repeat(9000)}\n\`\`\``,
      ];
      const reports = await p.page.evaluate((docs) => (window as unknown as { __md: { longCode(d: string[]): LongCodeReport[] } }).__md.longCode(docs), docs);
      for (const r of reports) {
        assert.equal(r.built.text, r.markup.text, `${r.markdown}: the same text`);
        assert.equal(r.built.className, r.markup.className, `${r.markdown}: the same class`);
        assert.ok(r.built.chunks.length >= 2 && Math.max(...r.built.chunks) <= 8192, `${r.markdown}: in chunks (${r.built.chunks.join(',')})`);
        assert.equal(r.built.buttons, 3, 'with the code toolbar');
      }
      assert.deepEqual(reports.map((r) => r.built.className), ['language-ts', 'language-c++', '', '', '', '', '', '', '']);
    });

    it('highlights a long code block inside its chunks, keeping every character', async () => {
      const code = Array.from({ length: 3000 }, (_, i) => `const value${i} = compute(${i}, "text ${i}"); // note ${i}`).join('\n');
      const text = `Intro.\n\n\`\`\`ts\n${code}\n\`\`\`\n\n${END_MARK}`;
      const r = await p.page.evaluate(
        ({ text, cuts }) => (window as unknown as { __md: { highlightedCode(t: string, c: number[]): Promise<HighlightReport> } }).__md.highlightedCode(text, cuts),
        { text, cuts: evenCuts(text.length, 40) },
      );
      assert.equal(r.text, `${code}\n`, 'the code, unchanged');
      assert.ok(r.chunks >= 20, `${r.chunks} chunks`);
      assert.equal(r.otherChildren, 0, 'nothing outside the chunks');
      assert.equal(r.coloured, r.chunks, 'every chunk highlighted');
      assert.equal(r.keywords, 3000, 'every "const" a keyword');
    });

    // Highlighted code skips the sanitizer only when its markup is exactly highlight.js's spans.
    it('accepts highlighted markup only as classed spans around escaped text, and highlighting hostile code leaves only spans', async () => {
      const samples = [
        '<span class="hljs-keyword">const</span> x &lt;img&gt; &amp; "q"',
        '<span class="hljs-title function_">f</span>',
        '<span class="x" onclick="y">a</span>',
        '<span class=x>a</span>',
        '<img src=x onerror=alert(1)>',
        'a <script>alert(1)</script>',
        '<span class="a"><a href="javascript:x">b</a></span>',
        '<!-- c --> <svg onload=alert(1)>',
      ];
      const r = await p.page.evaluate((samples) => (window as unknown as { __md: { spanCheck(s: string[]): Promise<{ accepted: boolean[]; tags: string[][] }> } }).__md.spanCheck(samples), samples);
      assert.deepEqual(r.accepted, [true, true, false, false, false, false, false, false]);
      for (const tags of r.tags) for (const tag of tags) assert.equal(tag, 'span class', `only classed spans: ${tags.join(', ')}`);
      assert.deepEqual(p.errors, []);
    });

    // The definition at the end redraws the first rows (they use it) and must keep all the others.
    it('draws a 10,000-row table as a table in parts of 50 rows, adding rows as they stream in and never redrawing drawn rows', async () => {
      const rows = Array.from({ length: 10_000 }, (_, i) => `| ${i} | row **${i}** | ${i < 10 ? '[x][r1]' : 'x'} |`).join('\n');
      const text = `Intro.\n\n| id | name | ref |\n|---|:-:|--:|\n${rows}\n\n[r1]: https://r.example/\n\n${END_MARK}`;
      const r = await p.page.evaluate(
        ({ text, cuts }) => (window as unknown as { __md: { tableStream(t: string, c: number[]): TableReport } }).__md.tableStream(text, cuts),
        { text, cuts: evenCuts(text.length, 60) },
      );
      assert.equal(r.onceRows, 10_000, 'one-shot: every row is a table row');
      assert.equal(r.textBlocks, 0, 'nothing is shown as text');
      assert.equal(r.heads, 1, 'one header row');
      assert.ok(r.tables >= 200 && r.maxRowsPerTable <= 50, `drawn in parts of at most 50 rows: ${r.tables} tables, up to ${r.maxRowsPerTable} rows`);
      assert.equal(r.rowsAt.at(-1), 10_000, 'streamed: every row is a table row');
      const growing = r.rowsAt.slice(0, -1);
      assert.ok(growing.filter((n, i) => i > 0 && n > growing[i - 1]!).length >= 50, `rows appear as they arrive: ${growing.join(',')}`);
      assert.ok(r.laterRowKept, 'row 5000, once drawn, is never drawn again (a definition redraws only the rows using it)');
      assert.ok(r.equal, 'streamed equals one-shot');
    });

    // A table is drawn in parts long before its segment is too big to lex (the open table was redrawn whole per update).
    it('draws a mid-size table in parts too, with what follows it in the same segment formatted, streamed = one-shot', async () => {
      const rows = Array.from({ length: 130 }, (_, i) => `| ${i} | row **${i}** |`).join('\n');
      const list = Array.from({ length: 40 }, (_, i) => `- item ${i} with *emphasis*`).join('\n');
      const text = `Intro.\n\n| a | b |\n|---|---|\n${rows}\n- after the table\n${list}\n\n${END_MARK}`;
      const r = await p.page.evaluate((text) => {
        const md = (window as unknown as { __md: { once(t: string): string; streamed(t: string, c: number[]): string } }).__md;
        const cuts: number[] = [];
        for (let at = 301; at < text.length; at += 301) cuts.push(at);
        cuts.push(text.length);
        return { once: md.once(text), streamed: md.streamed(text, cuts) };
      }, text);
      assert.equal((r.once.match(/<tr>/g) ?? []).length, 131, 'every row drawn');
      assert.ok((r.once.match(/<table>/g) ?? []).length >= 3, 'in parts');
      assert.equal((r.once.match(/<em>/g) ?? []).length, 40, 'the list after it is formatted');
      assert.ok(r.streamed === r.once, 'streamed equals one-shot');
    });

    // Thousands of top-level blocks were laid out again on every slice (a 1 MB "show all" took 94 s).
    it('draws a long reply\'s finished blocks in groups of about 8 KB that skip layout off screen, streamed = one-shot', async () => {
      const parts = ['A paragraph of prose about streaming parsers and their state.', '- an item\n- another item', '```ts\nconst x = 1;\n```', '## A heading', '| a | b |\n|---|---|\n| 1 | 2 |', '> a quote [link][ref]'];
      const text = `${Array.from({ length: 3000 }, (_, i) => parts[i % parts.length]).join('\n\n')}\n\n[ref]: https://ref.example/\n\n${END_MARK}`;
      const r = await p.page.evaluate(
        ({ text, cuts }) => (window as unknown as { __md: { grouping(t: string, c: number[]): Promise<GroupReport> } }).__md.grouping(text, cuts),
        { text, cuts: evenCuts(text.length, 50) },
      );
      assert.ok(r.groups >= 10, `${r.groups} groups`);
      assert.ok(r.maxGroupText <= 8192, `a group holds ${r.maxGroupText} characters`);
      assert.ok(r.outside <= 2, `${r.outside} top-level blocks outside groups`);
      assert.ok(r.lastShown, 'the group in view is laid out');
      assert.ok(r.firstSkipped, 'a group far out of view is not laid out');
      assert.ok(r.textKept, 'the same text');
      assert.ok(r.equal, 'streamed (grown past the threshold) equals one-shot, groups included');
    });

    it('ends a big table where marked does (a heading line, a blank line before indented text), streamed = one-shot', async () => {
      const rows = Array.from({ length: 1500 }, (_, i) => `| ${i} | row ${i} |`).join('\n');
      const docs = [
        `| a | b |\n|---|---|\n${rows}\n# heading after\nA paragraph.\n\n${END_MARK}`,
        `| a | b |\n|---|---|\n${rows}\n\n    indented after\n  more\n\n${END_MARK}`,
        `| a | b |\n|---|---|\n${rows}\n> quote after\n${'> more quote text\n'.repeat(1200)}\n${END_MARK}`,
      ];
      const results = await p.page.evaluate((docs) => {
        const md = (window as unknown as { __md: { once(t: string): string; streamed(t: string, c: number[]): string } }).__md;
        return docs.map((text) => {
          const cuts: number[] = [];
          for (let at = 997; at < text.length; at += 997) cuts.push(at);
          cuts.push(text.length);
          return { once: md.once(text), streamed: md.streamed(text, cuts) };
        });
      }, docs);
      for (const [i, r] of results.entries()) {
        assert.equal((r.once.match(/<tr>/g) ?? []).length, 1501, `doc ${i}: every row drawn`);
        assert.ok(r.once.includes(END_MARK), `doc ${i}: the end is shown`);
        assert.ok(r.streamed === r.once, `doc ${i}: streamed equals one-shot`);
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
      await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation(entries) }) });
      for (let i = 0; i < crashers.length; i++) {
        const md = p.page.locator(`article[data-id="a${i}"] .md`);
        await md.getByText(END_MARK).waitFor({ timeout: 20_000 });
        assert.ok(((await md.textContent()) ?? '').includes('An ordinary first paragraph.'));
      }
      assert.deepEqual(p.errors, []);
    });

    // Every hostile reply as a history entry (in batches: the transcript draws 30 entries at first).
    it('shows every hostile reply as a non-empty entry, and the view answers typing while it draws them', async () => {
      const cases = hostileCorpus();
      const box = p.page.getByRole('textbox', { name: 'Message' });
      for (let from = 0; from < cases.length; from += 12) {
        const batch = cases.slice(from, from + 12);
        const entries = batch.flatMap((c, i) => [userEntry(`u${i}`, c.name), assistantEntry(`a${i}`, c.text)]);
        await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation(entries, { id: `c${from}` }) }) });
        // Typed while the entries are still being drawn: every key must land.
        await box.fill('');
        await box.pressSequentially(`still here ${from}`);
        assert.equal(await box.inputValue(), `still here ${from}`, 'the composer took every key');
        for (let i = 0; i < batch.length; i++) {
          const article = p.page.locator(`article[data-id="a${i}"]`);
          const md = article.locator('.md');
          await md.getByText('An ordinary first paragraph.').waitFor({ timeout: 60_000 });
          const collapsed = (await article.getByRole('button', { name: 'show all' }).count()) > 0;
          if (!collapsed) await md.getByText(END_MARK).waitFor({ timeout: 60_000 });
          const shown = (await md.textContent()) ?? '';
          // Beyond the prose around it, something of the hostile body itself is shown.
          assert.ok(shown.length > 'An ordinary first paragraph.'.length + END_MARK.length, `${batch[i]!.name}: ${shown.length} characters shown`);
        }
      }
      assert.deepEqual(p.errors, []);
    });

    it('answers typing while the heaviest hostile replies stream in', async () => {
      const box = p.page.getByRole('textbox', { name: 'Message' });
      for (const [n, { name, text }] of hostileCorpus().filter((c) => /10,000 rows|1 MB|200 lines/.test(c.name)).entries()) {
        const id = `s${n}`;
        await p.post({
          type: 'view/snapshot',
          snapshot: snapshot({ conversation: conversation([userEntry('u1', name), assistantEntry('a1', '', { status: 'streaming' })], { id, streamingId: 'a1' }) }),
        });
        await box.fill('');
        let sent = 0;
        for (const [k, at] of evenCuts(text.length, 8).entries()) {
          await p.post({ type: 'chat/stream', conversationId: id, messageId: 'a1', content: text.slice(sent, at), reasoning: '' });
          sent = at;
          await box.press(String(k % 10));
        }
        assert.equal((await box.inputValue()).length, evenCuts(text.length, 8).length, `${name}: every key landed while streaming`);
        await p.page.locator('article[data-id="a1"] .md').getByText(END_MARK).waitFor({ timeout: 60_000 });
      }
      assert.deepEqual(p.errors, []);
    });

    it('a streamed reply that used to freeze the view keeps showing new text to its end', async () => {
      const { text } = crashers[0]!;
      await p.post({
        type: 'view/snapshot',
        snapshot: snapshot({ conversation: conversation([userEntry('u1', 'q'), assistantEntry('a1', '', { status: 'streaming' })], { streamingId: 'a1' }) }),
      });
      let sent = 0;
      for (const at of evenCuts(text.length, 8)) {
        await p.post({ type: 'chat/stream', conversationId: 'c1', messageId: 'a1', content: text.slice(sent, at), reasoning: '' });
        sent = at;
      }
      await p.page.locator('article[data-id="a1"] .md').getByText(END_MARK).waitFor({ timeout: 20_000 });
      assert.deepEqual(p.errors, []);
    });

    // A long fence or text streams as chunks (block-level spans): the cursor must follow the text.
    for (const [kind, body] of [
      ['code block', `\`\`\`python\n${Array.from({ length: 900 }, (_, i) => `print("line ${i}")`).join('\n')}\nprint("tail`],
      ['text too big to format', `${'word '.repeat(5000)}tail`],
    ] as const) {
      it(`puts the streaming cursor at the end of a long streaming ${kind}, not on a line of its own`, async () => {
        await p.post({
          type: 'view/snapshot',
          snapshot: snapshot({ conversation: conversation([userEntry('u1', 'q'), assistantEntry('a1', '', { status: 'streaming' })], { streamingId: 'a1' }) }),
        });
        const text = `Intro.\n\n${body}`;
        let sent = 0;
        for (const at of evenCuts(text.length, 6)) {
          await p.post({ type: 'chat/stream', conversationId: 'c1', messageId: 'a1', content: text.slice(sent, at), reasoning: '' });
          sent = at;
        }
        const md = p.page.locator('article[data-id="a1"] .md');
        await md.getByText('tail').waitFor();
        const r = await md.evaluate((root) => {
          const pre = root.lastElementChild?.querySelector('pre');
          const holder = pre?.querySelector('code') ?? pre;
          const chunk = holder?.querySelector('.md-chunk:last-child');
          const last = chunk?.lastChild;
          if (!holder || !chunk || !(last instanceof Text)) return undefined;
          const range = document.createRange();
          range.setStart(last, last.length - 1);
          range.setEnd(last, last.length);
          // The block cursor (styles/cursor.ts), solid while text arrives or blinking while it waits.
          const isCursor = (after: CSSStyleDeclaration) => after.content !== 'none' && after.display === 'inline-block' && after.verticalAlign === 'text-bottom';
          const cursors = [...root.querySelectorAll('*')].filter((el) => isCursor(getComputedStyle(el, '::after')));
          return {
            chunks: holder.querySelectorAll('.md-chunk').length,
            cursorOnChunk: cursors.length === 1 && cursors[0] === chunk,
            lineHeight: parseFloat(getComputedStyle(holder).lineHeight),
            textBottom: range.getBoundingClientRect().bottom,
            holderBottom: holder.getBoundingClientRect().bottom,
          };
        });
        assert.ok(r, 'the text is drawn in chunks, ending with a text node');
        assert.ok(r.chunks > 1, `${r.chunks} chunks`);
        assert.ok(r.cursorOnChunk, 'one cursor, on the last chunk');
        assert.ok(r.holderBottom - r.textBottom < r.lineHeight / 2, `the cursor is on the text's last line (${r.holderBottom - r.textBottom} px below it)`);
        assert.deepEqual(p.errors, []);
      });
    }

    it('offers "render anyway" for a block held back for its cost, and formats it on request', async () => {
      const costly = `${'**a_'.repeat(300)} **done**`;
      await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([assistantEntry('a1', `Intro.\n\n${costly}\n\n${END_MARK}`)]) }) });
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
