/** The pickers' .gitignore matcher against the rules real ignore files use. */
import { strict as assert } from 'node:assert';
import { GitIgnore } from '../../../src/extension/core/attachments/gitignore';

describe('GitIgnore', () => {
  const ig = new GitIgnore();
  ig.add('', ['# build output', 'dist/', '*.log', '!keep.log', '/root-only.txt', 'docs/**/*.tmp', 'secret?.env', '[Bb]in/', '\\#hash', ''].join('\n'));
  ig.add('pkg', 'local/\n*.gen.ts\n');

  const cases: Array<[string, boolean]> = [
    ['dist/app.js', true],
    ['src/dist/deep/x.js', true],
    ['dist', false], // a file named dist is not the folder
    ['server.log', true],
    ['logs/a/b.log', true],
    ['keep.log', false],
    ['root-only.txt', true],
    ['sub/root-only.txt', false],
    ['docs/a/b/c.tmp', true],
    ['docs/c.tmp', true],
    ['other/c.tmp', false],
    ['secret1.env', true],
    ['secret12.env', false],
    ['Bin/x', true],
    ['bin/x', true],
    ['#hash', true],
    ['pkg/local/a.ts', true],
    ['pkg/src/a.gen.ts', true],
    ['src/a.gen.ts', false],
    ['src/index.ts', false],
  ];
  for (const [path, ignored] of cases) {
    it(`${ignored ? 'ignores' : 'keeps'} ${path}`, () => assert.equal(ig.ignores(path), ignored));
  }

  it('ignores nothing without rules', () => assert.equal(new GitIgnore().ignores('anything'), false));
});
