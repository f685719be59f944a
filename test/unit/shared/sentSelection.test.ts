import assert from 'node:assert/strict';
import { parseLocation, splitSentSelection } from '../../../src/shared/sentSelection';
import { formatSelection } from '../../../src/extension/core/selectionPrompt';
import { carriesLocation, sentLocations } from '../../../src/extension/core/sentLocations';

describe('sent selections: code a user message sent from the editor', () => {
  it('reads path:lines labels, a bare path as the whole file, and refuses nonsense', () => {
    assert.deepEqual(parseLocation('src/a.ts:12-30'), { path: 'src/a.ts', startLine: 12, endLine: 30 });
    assert.deepEqual(parseLocation('src/a.ts:7'), { path: 'src/a.ts', startLine: 7, endLine: 7 });
    assert.deepEqual(parseLocation('README.md'), { path: 'README.md', startLine: 1, endLine: 1 });
    assert.equal(parseLocation('src/a.ts:9-3'), undefined, 'end before start');
    assert.equal(parseLocation('src/a.ts:0'), undefined, 'lines are 1-based');
    assert.equal(parseLocation('a\nb:1'), undefined);
    assert.equal(parseLocation(''), undefined);
  });

  it('splits what Send Selection wrote back into the question and the code, also for code holding fences', () => {
    const code = 'const fence = "```";\nconst more = "````";';
    const text = formatSelection({ text: code, language: 'typescriptreact', path: 'src/App.tsx', startLine: 4, endLine: 5 }, 'Explain **this**');
    const split = splitSentSelection(text);
    assert.equal(split.typed, 'Explain **this**');
    assert.deepEqual(split.code, { label: 'src/App.tsx:4-5', location: { path: 'src/App.tsx', startLine: 4, endLine: 5 }, language: 'tsx', code });
    const whole = splitSentSelection(formatSelection({ text: 'x = 1\n', language: 'python', path: 'tools/run.py', startLine: 1, endLine: 1, wholeFile: true }));
    assert.deepEqual(whole, { typed: '', code: { label: 'tools/run.py', location: { path: 'tools/run.py', startLine: 1, endLine: 1 }, language: 'python', code: 'x = 1' } });
  });

  it('leaves typed markdown alone: a sentence before a fence is not a location', () => {
    for (const text of ['Explain this:\n```py\nx\n```', 'no fence at all', '```ts\nonly code\n```', 'src/a.ts:1\n```ts\nunclosed']) {
      assert.deepEqual(splitSentSelection(text), { typed: text, code: undefined }, text);
    }
  });

  it('lists the locations a stored user message carried, from its chips and its text', () => {
    const message = {
      role: 'user',
      content: 'Why?\n\nsrc/loop.py:3-4\n```python\npass\n```',
      metadata: {
        attachments: [
          { kind: 'selection', label: 'src/a.ts:10-12', text: 'x', language: 'ts', tokens: 1 },
          { kind: 'file', label: 'docs/guide.md', text: 'y', language: 'md', tokens: 1 },
          { kind: 'git', label: 'git diff (staged)', text: 'z', language: 'diff', tokens: 1 },
        ],
      },
    };
    const carried = sentLocations(message);
    assert.deepEqual(carried, [
      { path: 'src/a.ts', startLine: 10, endLine: 12 },
      { path: 'docs/guide.md', startLine: 1, endLine: 1 },
      { path: 'src/loop.py', startLine: 3, endLine: 4 },
    ]);
    assert.ok(carriesLocation(carried, { path: 'src/a.ts', startLine: 10, endLine: 12 }));
    assert.ok(!carriesLocation(carried, { path: 'src/a.ts', startLine: 1, endLine: 12 }), 'other lines of the same file');
    assert.ok(!carriesLocation(carried, { path: '../../etc/passwd', startLine: 1, endLine: 1 }));
    assert.deepEqual(sentLocations({ ...message, role: 'assistant' }), [], "a reply's text names nothing the user sent");
  });
});
