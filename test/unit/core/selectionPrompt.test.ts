import { strict as assert } from 'node:assert';
import { formatSelection } from '../../../src/extension/core/selectionPrompt';

describe('formatSelection', () => {
  const source = { text: 'const a = 1;', language: 'typescript', path: 'src/a.ts', startLine: 3, endLine: 5 };

  it('labels the block with its language and path:line-range under the prompt', () => {
    assert.equal(formatSelection(source, 'Explain this'), 'Explain this\n\nsrc/a.ts:3-5\n```typescript\nconst a = 1;\n```');
  });

  it('uses a single line number for a one-line selection and omits an empty prompt', () => {
    assert.equal(formatSelection({ ...source, endLine: 3 }, '  '), 'src/a.ts:3\n```typescript\nconst a = 1;\n```');
  });

  it('makes the fence longer than any backtick run in the code', () => {
    const out = formatSelection({ ...source, text: 'md = "```js\\n```"', language: 'markdown' });
    assert.ok(out.includes('````markdown\n'));
    assert.ok(out.endsWith('\n````'));
  });

  it('names only the path when the whole file is sent, and maps editor language ids', () => {
    const out = formatSelection({ ...source, wholeFile: true, language: 'typescriptreact' });
    assert.ok(out.startsWith('src/a.ts\n```tsx\n'));
  });
});
