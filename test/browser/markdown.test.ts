/**
 * Model output in a real browser under the real CSP: hostile markdown/HTML is neutralised, links
 * go through the host, code blocks carry their actions and are highlighted by a lazy chunk, and
 * the incremental renderer's output equals a one-shot render for random documents split at
 * random points.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage, harness } from './harness';
import { markdownProbe } from './probe';
import { assistantEntry, conversation, snapshot, userEntry } from './fixtures';
import type { ProbeCase, ProbeMismatch, WarmUpReport } from './probe/markdownProbe';

const HOSTILE = [
  'Here is some output.',
  '',
  '<script>window.__pwned = "script"</script>',
  '',
  '<img src="x" onerror="window.__pwned = \'img\'">',
  '',
  '[click me](javascript:window.__pwned=%22link%22)',
  '',
  '<iframe src="https://evil.example/"></iframe>',
  '',
  '<style>* { display: none !important; }</style>',
  '',
  '[open a terminal](command:workbench.action.terminal.new)',
  '',
  '<a href="data:text/html,<script>alert(1)</script>">data link</a>',
  '',
  '<form action="https://evil.example/"><input name="q" value="x"><button>go</button></form>',
  '',
  '<svg onload="window.__pwned = \'svg\'"><circle r="5"></circle></svg>',
  '',
  '<div style="position:fixed;inset:0;background:red">covered</div>',
  '',
  '<a href="https://ok.example/" onclick="window.__pwned = \'onclick\'" class="cursor">raw anchor</a>',
  '',
  '[ok link](https://ok.example/ "fine")',
  '',
  '<details open ontoggle="window.__pwned = \'details\'"><summary>s</summary>x</details>',
  '',
  '![pixel](https://tracker.example/pixel.png)',
  '',
  '<object data="x.swf"></object><embed src="x.swf"><math><mi>x</mi></math>',
  '',
  '<a href="vbscript:msgbox(1)">vb</a> <a href="  JaVaScRiPt:window.__pwned=1">spaced</a>',
].join('\n');

describe('markdown rendering of model output', function () {
  let p: WebviewPage;

  beforeEach(async () => {
    p = await WebviewPage.open();
  });
  afterEach(async () => {
    await p.close();
  });

  it('neutralises hostile output: nothing runs, nothing dangerous reaches the DOM, the CSP reports nothing', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('u1', 'hi'), assistantEntry('a1', HOSTILE)]) }) });
    const md = p.page.locator('article[data-id="a1"] .md');
    await md.getByText('Here is some output.').waitFor();
    await p.page.waitForTimeout(200);
    const report = await md.evaluate((root) => {
      const all = [...root.querySelectorAll('*')];
      return {
        tags: [...new Set(all.map((e) => e.tagName.toLowerCase()))].sort(),
        handlers: all.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.tagName}.${a.name}`)),
        styles: all.filter((e) => e.hasAttribute('style')).map((e) => e.tagName),
        hrefs: [...root.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
        classes: all.filter((e) => e.closest('.code-block') === null && e.hasAttribute('class')).map((e) => `${e.tagName}.${e.className}`),
      };
    });
    for (const banned of ['script', 'style', 'iframe', 'form', 'input', 'button', 'img', 'svg', 'math', 'object', 'embed', 'details']) {
      assert.ok(!report.tags.includes(banned), `<${banned}> reached the DOM: ${report.tags.join(',')}`);
    }
    assert.deepEqual(report.handlers, [], 'no event-handler attributes');
    assert.deepEqual(report.styles, [], 'no inline style attributes');
    assert.deepEqual(report.hrefs, ['https://ok.example/', 'https://tracker.example/pixel.png'], 'only http(s) links keep an href');
    assert.deepEqual(report.classes, [], 'model output cannot borrow the UI’s classes');
    const shown = (await md.textContent()) ?? '';
    assert.ok(shown.includes('<script>window.__pwned = "script"</script>'), 'raw HTML is shown as text, not parsed');
    // The javascript: link is plain text now; clicking it does nothing.
    await md.getByText('click me').click();
    await md.getByText('raw anchor').click();
    await md.getByText('ok link').click();
    await p.settle();
    assert.equal(await p.page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined, 'no injected code ran');
    assert.deepEqual(await p.cspViolations(), [], 'no CSP violation was reported');
    assert.deepEqual(p.errors, []);
    assert.deepEqual((await p.postedOf('editor/openLink')).map((m) => m.url), ['https://ok.example/']);
  });

  it('sends openLink for a clicked link instead of navigating the webview', async () => {
    await p.post({
      type: 'view/snapshot',
      snapshot: snapshot({ conversation: conversation([assistantEntry('a1', 'Read [the spec](https://html.spec.whatwg.org/) first.')]) }),
    });
    const before = p.page.url();
    const link = p.page.getByRole('link', { name: 'the spec' });
    await link.click();
    await link.click({ button: 'middle' });
    await link.focus();
    await p.page.keyboard.press('Enter');
    await p.settle();
    assert.equal(p.page.url(), before, 'the webview did not navigate');
    assert.equal(p.page.context().pages().length, 1, 'no window was opened');
    assert.deepEqual((await p.postedOf('editor/openLink')).map((m) => m.url), ['https://html.spec.whatwg.org/', 'https://html.spec.whatwg.org/']);
  });

  it('gives each code block Copy, Insert at Cursor and New File buttons that send codeAction', async () => {
    const code = 'fn main() {\n    println!("<b>hi</b>");\n}';
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([assistantEntry('a1', `Try:\n\n\`\`\`rust\n${code}\n\`\`\``)]) }) });
    const block = p.page.locator('article[data-id="a1"] .code-block');
    assert.equal((await block.locator('.code-lang').textContent())?.trim(), 'rust');
    await block.getByRole('button', { name: 'Copy code' }).click();
    await block.getByRole('button', { name: 'Insert at cursor' }).click();
    await block.getByRole('button', { name: 'Open as new file' }).click();
    const sent = await p.postedOf('editor/codeAction');
    assert.deepEqual(sent, [
      { type: 'editor/codeAction', action: 'copy', code, language: 'rust' },
      { type: 'editor/codeAction', action: 'insert', code, language: 'rust' },
      { type: 'editor/codeAction', action: 'newFile', code, language: 'rust' },
    ]);
  });

  it('loads the highlighting chunk only when a finished code block needs it', async () => {
    const h = await harness();
    const chunkRequests = () => h.requests.filter((r) => /\/webview\/chunks\/languages-/.test(r)).length;
    const start = chunkRequests();
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([assistantEntry('a1', 'Plain prose, no code.')]) }) });
    await p.page.waitForTimeout(300);
    assert.equal(chunkRequests(), start, 'no code, no highlighter');
    await p.post({
      type: 'chat/conversation',
      conversation: conversation([assistantEntry('a1', 'Plain prose, no code.'), assistantEntry('a2', '```ts\nconst answer: number = 42;\n```')]),
    });
    const keyword = p.page.locator('article[data-id="a2"] code .hljs-keyword').first();
    await keyword.waitFor({ timeout: 10_000 });
    assert.equal(await keyword.textContent(), 'const');
    assert.equal(chunkRequests(), start + 1);
    assert.deepEqual(await p.cspViolations(), []);
  });

  it('spreads a language’s first use over three tasks: the highlighter’s code, the grammar, a sample', async () => {
    const script = await markdownProbe();
    await p.goto({ script });
    await p.page.waitForFunction(() => '__md' in window);
    type Steps = { preparedBefore: boolean[]; preparedAfter: boolean; keyword: string };
    const r = await p.page.evaluate(() => (window as unknown as { __md: { prepareSteps(l: string): Promise<Steps> } }).__md.prepareSteps('rust'));
    assert.deepEqual(r.preparedBefore, [false, false, false]);
    assert.equal(r.preparedAfter, true);
    assert.equal(r.keyword, 'fn');
  });

  it('keeps a finished block’s DOM node while later tokens stream in', async () => {
    await p.post({
      type: 'view/snapshot',
      snapshot: snapshot({ conversation: conversation([assistantEntry('a1', '', { status: 'streaming' })], { streamingId: 'a1' }) }),
    });
    const delta = (content: string) => p.post({ type: 'chat/stream', conversationId: 'c1', messageId: 'a1', content, reasoning: '' });
    await delta('First paragraph is done.\n\nSecond paragraph has started\n');
    const first = await p.page.locator('article[data-id="a1"] .md > p').first().elementHandle();
    assert.ok(first);
    await delta('and keeps going');
    await delta(' with more tokens.\n\n- a list\n');
    const same = await p.page.locator('article[data-id="a1"] .md > p').first().evaluate((el, old) => el === old, first);
    assert.equal(same, true, 'the first paragraph was not re-rendered');
    assert.match((await p.page.locator('article[data-id="a1"] .md').textContent()) ?? '', /keeps going with more tokens\.\s*a list/);
  });

  it('streams definitions the one-shot way: escaped labels, labels over lines, definitions in quotes and lists, raw <a> before bare URLs', async () => {
    const script = await markdownProbe();
    await p.goto({ script });
    await p.page.waitForFunction(() => '__md' in window);
    const docs = [
      // A label holding an escaped bracket (spec example 194's shape), used before and after.
      'See [foo\\]bar] first.\n\n[foo\\]bar]: https://a.example/ "t"\n\nAnd [foo\\]bar] again.',
      // A label spread over two lines (spec example 541's shape).
      'Use [Foo\n  bar][] here.\n\n[foo bar]: https://b.example/\n\nEnd.',
      // Definitions inside a block quote and a list item change earlier paragraphs.
      'Quote says [q] and list says [l].\n\n> [q]: https://q.example/\n\n- [l]: https://l.example/\n\nDone.',
      // An unclosed raw <a> must not stop later bare URLs from linking (or must in both renders).
      'Start <a href="https://x.example/">open anchor\n\nThen https://later.example/ and www.example.com.\n\nMore https://end.example/',
      // A definition that grows character by character, and one that is redefined (the first wins).
      'Text [r] here.\n\n[r]: https://first.example/path\n[r]: https://second.example/\n\nTail [r].',
      // Reference-like lines in code are not definitions.
      'Log [INFO] below.\n\n```\n[INFO]: started\n[tool.x]: y\n```\n\nSee [INFO] again.',
    ];
    const result = await p.page.evaluate(
      (texts) => {
        const md = (window as unknown as { __md: { once(t: string): string; streamed(t: string, c: number[]): string } }).__md;
        return texts.map((text) => {
          const expected = md.once(text);
          const everyChar = md.streamed(text, Array.from({ length: text.length }, (_, i) => i + 1));
          return { text, expected, everyChar };
        });
      },
      docs,
    );
    for (const r of result) assert.equal(r.everyChar, r.expected, `streamed differs for ${JSON.stringify(r.text)}`);
    assert.match(result[0]!.expected, /href="https:\/\/a\.example\/"/, 'the escaped label resolves');
    assert.match(result[1]!.expected, /href="https:\/\/b\.example\/"/, 'the two-line label resolves');
    assert.match(result[2]!.expected, /href="https:\/\/q\.example\/"[^]*href="https:\/\/l\.example\/"/, 'definitions in a quote and a list count');
    assert.match(result[3]!.expected, /href="https:\/\/later\.example\/"/, 'bare URLs after a raw <a> still link');
    assert.doesNotMatch(result[4]!.expected, /second\.example/, 'the first definition wins');
    assert.doesNotMatch(result[5]!.expected, /<a /, 'lines in code define nothing');
  });

  it('warms the renderer while idle on texts that take every block kind, one text per idle period, leaving the page untouched', async () => {
    const script = await markdownProbe();
    await p.goto({ script });
    await p.page.waitForFunction(() => '__md' in window);
    const report = await p.page.evaluate(() => (window as unknown as { __md: { warmUp(): Promise<WarmUpReport> } }).__md.warmUp());
    // Drawn as a stream draws (half open, then final): the same as a one-shot render.
    for (const { warm, once } of report.drawn) assert.equal(warm, once);
    const all = report.drawn.map((d) => d.once).join('\n');
    for (const shape of [/<h1>/, /<h2>/, /<ul>/, /<ol>/, /<li>[^]*<ul>/, /<blockquote>/, /<hr>/, /<em>/, /<strong>/, /<del>/, /<code>2<\/code>/, /<a href="https:\/\/example\.com" title="title"/, /<a href="https:\/\/example\.org"/, /class="code-block"[^]*<code class="language-ts">/, /<pre[^>]*><code>indented code/, /class="table-scroll"[^]*<th>a<\/th>[^]*<td><code>2<\/code><\/td>/, /&lt;b&gt;raw&lt;\/b&gt;/]) {
      assert.match(all, shape, `the warm-up texts take ${shape}`);
    }
    // Every text twice (a regular expression reaches machine code on its second run), one per idle period.
    assert.deepEqual(report.perPeriod, [...Array.from({ length: report.drawn.length * 2 }, () => 1), 0]);
    assert.ok(report.lexed > 0, 'the warm-up finished');
    assert.equal(report.bodyUnchanged, true, 'nothing of the warm-up reaches the page');
  });

  it('renders incrementally exactly what a one-shot render produces, for 200 random documents split at random points', async function () {
    this.timeout(300_000);
    const script = await markdownProbe();
    await p.goto({ script });
    await p.page.waitForFunction(() => 'md' in window || '__md' in window);
    const cases = randomCases(200, 0x5eed);
    const result = await p.page.evaluate(
      (c) => (window as unknown as { __md: { compare(c: ProbeCase[]): { mismatches: ProbeMismatch[]; updates: number } } }).__md.compare(c),
      cases,
    );
    assert.deepEqual(result.mismatches.slice(0, 2), [], `${result.mismatches.length} documents differ`);
    assert.ok(result.updates > 1500, `only ${result.updates} updates were compared`);
    assert.deepEqual(await p.cspViolations(), []);
  });
});

/** Seeded random markdown: prose, emphasis, lists, code (open and closed), tables, quotes, HTML, references, CRLF. */
function randomCases(count: number, seed: number): ProbeCase[] {
  let s = seed >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const words = ['alpha', 'beta', '`code`', '**bold**', '_em_', '[link](https://x.example/a)', '<b>x</b>', 'gamma', '1.', '-', '#', '|', '*', '>',
    '~~del~~', 'https://auto.example', '\\*', '&amp;', 'ünïcødé', '😀', '<script>x</script>', '[ref][r1]', 'a_b_c', '$5.00'];
  const line = () => Array.from({ length: 1 + Math.floor(rnd() * 7) }, () => pick(words)).join(' ');
  const blocks: (() => string)[] = [
    () => line(),
    () => `${line()}\n${line()}`,
    () => `# ${line()}`,
    () => `### ${line()}`,
    () => `- ${line()}\n- ${line()}\n  - nested ${line()}`,
    () => `1. ${line()}\n2. ${line()}`,
    () => '- a\n\n- b\n\n  continued',
    () => '```ts\nconst x = 1;\n\nlet y = "<b>";\n```',
    () => '```\nunclosed fence',
    () => '~~~python\ndef f():\n    return 1\n~~~',
    () => '    indented code\n\n    more code',
    () => `> ${line()}\n> ${line()}\n>\n> - quoted list`,
    () => '| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 | 4 |',
    () => '---',
    () => '<div>\n<p>html block</p>\n</div>',
    () => 'setext\n===',
    () => `para\n- item ${line()}`,
    () => '* [ ] task\n* [x] done',
    () => `${line()}  \n${line()}`,
    () => '[r1]: https://ref.example/ "Ref"',
    () => 'line one\r\nline two\r\n',
    () => '<!-- a comment\n\nstill comment -->',
  ];
  const cases: ProbeCase[] = [];
  for (let i = 0; i < count; i++) {
    const text = Array.from({ length: 2 + Math.floor(rnd() * 9) }, () => pick(blocks)()).join(pick(['\n\n', '\n', '\n\n\n']));
    const cuts: number[] = [];
    let at = 0;
    while (at < text.length) {
      at = Math.min(text.length, at + 1 + Math.floor(rnd() * 16));
      cuts.push(at);
    }
    cases.push({ text, cuts });
  }
  return cases;
}
