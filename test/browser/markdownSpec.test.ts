/**
 * The CommonMark spec examples (the `commonmark-spec` package) through the renderer in a real
 * browser: every example streamed with random splits and with a split at every character must
 * end in exactly the one-shot DOM, and the one-shot DOM must equal plain marked (one lexer over
 * the whole text, the same renderer and sanitizer) for every example without raw HTML (the
 * renderer shows raw HTML as text, so those differ from marked by design).
 */
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { WebviewPage, ROOT } from './harness';
import { markdownProbe } from './probe';
import { marked } from 'marked';
import type { PlainReport, SpecCase, SpecReport } from './probe/markdownProbe';

interface SpecExample {
  markdown: string;
  html: string;
  section: string;
  number: number;
}

const examples = (createRequire(join(ROOT, 'package.json'))('commonmark-spec') as { tests: SpecExample[] }).tests;
const HAS_HTML = /<[A-Za-z/!?]/;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomCuts(length: number, rnd: () => number, maxStep: number): number[] {
  const cuts: number[] = [];
  for (let at = 0; at < length; ) {
    at = Math.min(length, at + 1 + Math.floor(rnd() * maxStep));
    cuts.push(at);
  }
  return cuts;
}

describe('markdown: the CommonMark spec examples', function () {
  this.timeout(300_000);
  let p: WebviewPage;
  let report: SpecReport;

  before(async () => {
    p = await WebviewPage.open();
    await p.goto({ script: await markdownProbe() });
    await p.page.waitForFunction(() => '__md' in window);
    const rnd = seeded(0xc0ffee);
    const cases: SpecCase[] = examples.map((e) => ({
      number: e.number,
      markdown: e.markdown,
      splits: [
        Array.from({ length: e.markdown.length }, (_, i) => i + 1),
        randomCuts(e.markdown.length, rnd, 4),
        randomCuts(e.markdown.length, rnd, 12),
      ],
      againstMarked: !HAS_HTML.test(e.markdown),
    }));
    report = await p.page.evaluate((c) => (window as unknown as { __md: { spec(c: SpecCase[]): SpecReport } }).__md.spec(c), cases);
  });
  after(async () => {
    await p.close();
  });

  it(`streamed equals one-shot for all ${examples.length} examples, split at every character and at random`, () => {
    assert.equal(report.streams, examples.length * 3);
    const numbers = [...new Set(report.streamedMismatches.map((m) => m.number))];
    assert.deepEqual(report.streamedMismatches.slice(0, 2), [], `${numbers.length}/${examples.length} examples differ: ${numbers.join(', ')}`);
  });

  it('one-shot equals plain marked with the same renderer and sanitizer for every example without raw HTML', () => {
    const expected = examples.filter((e) => !HAS_HTML.test(e.markdown)).length;
    assert.ok(expected > 500, `only ${expected} examples without HTML`);
    assert.equal(report.markedCompared, expected);
    const numbers = report.markedMismatches.map((m) => m.number);
    assert.deepEqual(report.markedMismatches.slice(0, 2), [], `${numbers.length}/${expected} differ: ${numbers.join(', ')}`);
  });

  // Plain markup (tags without attributes) is parsed in a <template> without the sanitizer.
  it('skips the sanitizer only for markup of plain tags, which then gives what the sanitizer gives (marked’s output of every example, raw HTML kept)', async () => {
    const htmls = examples.map((e) => marked.parse(e.markdown, { gfm: true, async: false }));
    const hostile = [
      ['<p>a &lt;script&gt; &amp; <em>b</em></p>\n<ul>\n<li><strong>c</strong></li>\n</ul>', true],
      ['<h2>t</h2><blockquote><p><del>d</del><code>e</code><br></p></blockquote><hr><b>\uE000</b>', true],
      ['<p onclick="x">a</p>', false],
      ['<p >a</p>', false],
      ['<P>a</P>', false],
      ['<p>a</p\n>', false],
      ['<br/>', false],
      ['<h7>a</h7>', false],
      ['<bb>a</bb>', false],
      ['<p>a<img src=x onerror=alert(1)></p>', false],
      ['<p>a</p><!-- c -->', false],
      ['<p>a</p><script>alert(1)</script>', false],
      ['<p><a href="https://x.example/">a</a></p>', false],
      ['<pre><code>x</code></pre>', false],
      ['<ol start="2"><li>a</li></ol>', false],
      ['<p>a</p><svg><p>b</p></svg>', false],
    ] as const;
    const r = await p.page.evaluate(
      (h) => (window as unknown as { __md: { plainTags(h: string[]): PlainReport } }).__md.plainTags(h),
      [...htmls, ...hostile.map(([html]) => html)],
    );
    assert.deepEqual(r.accepted.slice(htmls.length), hostile.map(([, plain]) => plain));
    const plain = r.accepted.slice(0, htmls.length).filter(Boolean).length;
    assert.ok(plain > 150 && plain < htmls.length, `${plain} of ${htmls.length} examples are plain markup`);
    assert.deepEqual(r.differ.slice(0, 3), [], `${r.differ.length} differ from the sanitizer`);
  });

  it('nothing in the examples broke the page or the CSP', async () => {
    assert.deepEqual(await p.cspViolations(), []);
    assert.deepEqual(p.errors, []);
  });
});
