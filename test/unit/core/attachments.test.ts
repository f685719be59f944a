/**
 * Attachments in core: counting and pricing a draft, the composer's bounds, the folder
 * budget, and what a send with attachments stores and puts in the request the (fake)
 * OpenRouter receives — through the real engine, store and tokenizer.
 */
import { strict as assert } from 'node:assert';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { attachmentBlock, composeUserContent, readSentAttachments } from '../../../src/shared/attachments';
import { buildAttachment, type Attachment } from '../../../src/extension/core/attachments/attachment';
import { PendingAttachments } from '../../../src/extension/core/attachments/pending';
import { buildFolderDraft, MAX_TREE_LINES, treeSummary } from '../../../src/extension/core/attachments/folder';
import { parseUsd, times, toDecimalString } from '../../../src/shared/money';
import { TokenCounter } from '../../../src/extension/core/tokenCounter';
import { parsePrice } from '../../../src/extension/openrouter/pricing';
import { testPricing } from '../../fixtures/pricing';
import { chatRequests } from '../openrouter/harness';
import { closeAfterEach, chatHarness, started, type ChatHarness } from './chatHarness';

const tokens = new TokenCounter(async (name) => new Tiktoken(name === 'o200k_base' ? o200k : cl100k));
const pricing = testPricing();


async function attach(text: string, label = 'src/a.ts', id = label): Promise<Attachment> {
  return buildAttachment({ kind: 'file', label, text, language: 'ts' }, { id, modelId: 'openai/gpt-4o-mini', pricing, tokens });
}

describe('attachments', function () {
  this.timeout(90_000);

  describe('building', () => {
    it('counts the block the request carries and prices it exactly at the prompt price', async () => {
      const a = await attach('export const x = 1;\n');
      const block = attachmentBlock(a);
      assert.equal(a.tokens, await tokens.count('openai/gpt-4o-mini', block));
      // 3e-6 USD per token, exact decimal: no float ever touches it.
      assert.equal(a.cost, toDecimalString(times(parseUsd('0.000003')!, a.tokens)));
      assert.ok(a.tokens > 5);
    });

    it('has no cost when the price varies, and keeps labels on one line', async () => {
      const a = await buildAttachment(
        { kind: 'selection', label: 'a.ts:1-2\nsecond line', text: 'x' },
        { id: '1', modelId: 'm', pricing: { ...pricing, prompt: { kind: 'variable' } }, tokens },
      );
      assert.equal(a.cost, undefined);
      assert.equal(a.label, 'a.ts:1-2 second line');
    });

    it('fences text that itself holds backtick fences with a longer fence', () => {
      const block = attachmentBlock({ kind: 'file', label: 'README.md', text: '```js\nx\n```\n````\n', language: 'md' });
      assert.ok(block.startsWith('@file README.md\n`````md\n'), block);
      assert.ok(block.endsWith('\n`````'));
    });

    it('puts attachments before the typed question, and sends the attachments alone when nothing was typed', () => {
      const a = { kind: 'git' as const, label: 'git diff (staged)', text: '+x', language: 'diff' };
      assert.equal(composeUserContent('Why?', [a]), `${attachmentBlock(a)}\n\nWhy?`);
      assert.equal(composeUserContent('', [a]), attachmentBlock(a));
      assert.equal(composeUserContent('plain', []), 'plain');
    });

    it('reads stored attachments defensively: malformed entries are skipped, never thrown on', () => {
      const list = readSentAttachments({
        attachments: [
          { kind: 'file', label: 'a.ts', text: 'x', language: 'ts', tokens: 3, cost: '0.000009' },
          { kind: 'virus', label: 'a', text: 'x', tokens: 1 },
          { kind: 'file', label: '', text: 'x', tokens: 1 },
          { kind: 'file', label: 'b', text: 'x', tokens: -1 },
          { kind: 'file', label: 'c', text: 'x', tokens: 1, cost: '1e9', language: '<script>' },
          'nonsense',
        ],
      });
      assert.deepEqual(
        list.map((a) => [a.label, a.cost, a.language]),
        [
          ['a.ts', '0.000009', 'ts'],
          ['c', undefined, ''],
        ],
      );
      assert.deepEqual(readSentAttachments({ attachments: 'no' }), []);
      assert.deepEqual(readSentAttachments(null), []);
    });
  });

  describe('bounds', () => {
    it('refuses an attachment over the token limit with a message naming the setting, and keeps what was attached', async () => {
      let limit = 60;
      const pending = new PendingAttachments(() => limit);
      const small = await attach('const a = 1;', 'a.ts');
      assert.deepEqual(pending.add(small), { ok: true });
      const big = await attach('word '.repeat(200), 'big.ts');
      const refused = pending.add(big);
      assert.equal(refused.ok, false);
      assert.match(!refused.ok ? refused.message : '', /big\.ts is \d+ tokens \(with the \d+ tokens already attached\), over the attachment limit of 60 tokens.*neuralTerminal\.attachments\.maxTokens/);
      assert.deepEqual(pending.list().map((a) => a.label), ['a.ts']);
      limit = 10_000;
      assert.deepEqual(pending.add(big), { ok: true });
      assert.equal(pending.remainingTokens, 10_000 - small.tokens - big.tokens);
    });

    it('resolves ids in the order asked, refuses unknown ones, and removes only on request', async () => {
      const pending = new PendingAttachments(() => 10_000);
      const a = await attach('a', 'a.ts', 'A');
      const b = await attach('b', 'b.ts', 'B');
      pending.add(a);
      pending.add(b);
      const r = pending.resolve(['B', 'A']);
      assert.ok(r.ok);
      assert.deepEqual(r.ok && r.attachments.map((x) => x.id), ['B', 'A']);
      assert.equal(pending.list().length, 2, 'resolving keeps them until the send starts');
      assert.equal(pending.resolve(['A', 'gone']).ok, false);
      assert.equal(pending.remove('A'), true);
      assert.equal(pending.remove('A'), false);
      assert.deepEqual(pending.list().map((x) => x.id), ['B']);
    });

    it('refuses the twenty-first attachment', async () => {
      const pending = new PendingAttachments(() => 1_000_000);
      for (let i = 0; i < 20; i++) assert.deepEqual(pending.add(await attach('x', `f${i}`)), { ok: true });
      assert.equal(pending.add(await attach('x', 'f20')).ok, false);
    });

    it('reprices chips for another model', async () => {
      const pending = new PendingAttachments(() => 10_000);
      const a = await attach('some text here');
      pending.add(a);
      const [free] = pending.priced({ ...pricing, prompt: parsePrice('0')! });
      assert.equal(free?.cost, '0');
      const [varies] = pending.priced({ ...pricing, prompt: { kind: 'variable' } });
      assert.equal(varies?.cost, undefined);
    });
  });

  describe('@folder', () => {
    const count = (text: string): Promise<number> => tokens.count('openai/gpt-4o-mini', text);
    const deps = (files: Record<string, string>) => ({
      read: async (p: string) => files[p],
      count,
      now: () => performance.now(),
      yieldNow: () => new Promise<void>((r) => setImmediate(r)),
    });

    it('includes the files that fit the budget, skipping one too big, and says which', async () => {
      const files: Record<string, string> = {
        'src/a.ts': 'export const a = 1;\n',
        'src/big.ts': 'const big = 1;\n'.repeat(400),
        'src/c.ts': 'export const c = 3;\n',
        'src/bin.png': undefined as unknown as string,
      };
      const draft = await buildFolderDraft(
        { label: 'src/', files: Object.entries(files).map(([path, t]) => ({ path, size: t?.length ?? 100 })), budgetTokens: 300 },
        deps(files),
      );
      assert.deepEqual(draft.included, ['src/a.ts', 'src/c.ts']);
      assert.equal(draft.note, '2 of 4 files included: src/a.ts, src/c.ts');
      assert.ok(draft.text.includes('=== src/a.ts ===\nexport const a = 1;'));
      assert.ok(!draft.text.includes('const big'));
      assert.ok(draft.text.includes('\n  big.ts\n'), 'the tree lists every file, included or not');
      assert.ok((await count(draft.text)) <= 300);
    });

    it('summarises a big tree by directory and keeps it bounded', () => {
      const paths = Array.from({ length: 5000 }, (_, i) => `pkg${i % 400}/src/f${i}.ts`).sort();
      const tree = treeSummary(paths);
      const lines = tree.split('\n');
      assert.equal(lines.length, MAX_TREE_LINES + 1);
      assert.match(lines[0]!, /^pkg0\/src\/ \(13 files\)$/);
      assert.match(lines.at(-1)!, /^… and 100 more directories$/);
    });

    it('yields to the event loop while it builds', async () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 300; i++) files[`d/f${String(i).padStart(3, '0')}.ts`] = `export const v${i} = ${i};\n`.repeat(20);
      let yields = 0;
      let t = 0;
      await buildFolderDraft(
        { label: 'd/', files: Object.keys(files).map((path) => ({ path, size: files[path]!.length })), budgetTokens: 1_000_000 },
        // A clock that moves 5 ms per reading: a yield is due every other file.
        { ...deps(files), now: () => (t += 2.5), yieldNow: async () => void yields++ },
      );
      assert.ok(yields >= 30, `yielded ${yields} times`);
    });

    it('ends a slice after sorting when the sort took one, before summarising the tree', async () => {
      const files: Record<string, string> = { 'b.ts': 'b', 'a.ts': 'a' };
      const steps: string[] = [];
      let t = 0;
      await buildFolderDraft(
        { label: './', files: Object.keys(files).map((path) => ({ path, size: 1 })), budgetTokens: 1000 },
        {
          ...deps(files),
          // Every reading of the clock is a full slice later: each step that checks it yields.
          now: () => (t += 5),
          yieldNow: async () => void steps.push('yield'),
          count: async (text) => {
            steps.push(text.startsWith('./') ? 'count tree' : 'count file');
            return count(text);
          },
        },
      );
      assert.deepEqual(steps.slice(0, 3), ['yield', 'yield', 'count tree'], 'sort | tree summary | count');
    });
  });

  describe('sending', () => {
    let h: ChatHarness;
    afterEach(closeAfterEach(() => h));

    it('sends the attachments in the user message, stores them as sent, and regenerates with them', async () => {
      h = await chatHarness();
      const a = await attach('export function secretSauce() { return 42; }\n', 'src/sauce.ts');
      const out = started(await h.engine.send({ text: 'What does it return?', attachments: [a] }));
      await out.done;
      const sent = chatRequests(h.fake).at(-1)?.body as { messages: Array<{ role: string; content: string }> };
      const user = sent.messages.at(-1)!;
      assert.equal(user.role, 'user');
      assert.equal(user.content, `${attachmentBlock(a)}\n\nWhat does it return?`);
      const stored = await h.store.getMessage(out.userMessageId!);
      assert.equal(stored.content, 'What does it return?', 'the typed text stays the message');
      const [kept] = readSentAttachments(stored.metadata);
      assert.deepEqual(kept && { ...kept }, { kind: 'file', label: 'src/sauce.ts', text: a.text, language: 'ts', tokens: a.tokens, cost: a.cost });

      const again = started(await h.engine.regenerate(out.assistantMessageId));
      await again.done;
      const resent = chatRequests(h.fake).at(-1)?.body as { messages: Array<{ content: string }> };
      assert.equal(resent.messages.at(-1)?.content, user.content, 'a regenerated reply sees the same attachments');

      const edited = started(await h.engine.editAndResend(out.userMessageId!, 'And why?'));
      await edited.done;
      const editedBody = chatRequests(h.fake).at(-1)?.body as { messages: Array<{ content: string }> };
      assert.equal(editedBody.messages.at(-1)?.content, `${attachmentBlock(a)}\n\nAnd why?`);
    });

    it('sends attachments without typed text, titles the conversation by them, and redacts them when asked', async () => {
      h = await chatHarness({ settings: { redactPII: true } });
      const a = await attach('// contact: someone@example.com\n', 'src/contact.ts');
      const out = started(await h.engine.send({ text: '', attachments: [a] }));
      await out.done;
      const body = chatRequests(h.fake).at(-1)?.body as { messages: Array<{ content: string }> };
      const content = body.messages.at(-1)!.content;
      assert.ok(!content.includes('someone@example.com'), content);
      assert.ok(content.includes('[email redacted]'));
      const stored = await h.store.getMessage(out.userMessageId!);
      assert.equal(readSentAttachments(stored.metadata)[0]?.text.includes('someone@'), false, 'the stored text is what was sent');
      assert.deepEqual(stored.metadata['piiRedacted'], { email: 1 });
      assert.equal((await h.store.getConversation(out.conversationId)).title, 'src/contact.ts');
    });

    it('counts the attachments in the budget check', async () => {
      h = await chatHarness({ limits: { session: parseUsd('0.0001')! }, settings: { maxTokens: 10 } });
      const a = await attach('lorem ipsum dolor sit amet '.repeat(500), 'src/long.txt');
      const refused = await h.engine.send({ text: 'hi', attachments: [a] });
      assert.equal(refused.status, 'refused');
      assert.ok(refused.status === 'refused' && /^budget/.test(refused.reason), 'refused over the budget');
      const plain = await h.engine.send({ text: 'hi' });
      assert.equal(plain.status, 'started', 'the same words without the attachment fit');
      if (plain.status === 'started') await plain.done;
    });
  });
});
