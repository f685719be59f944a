import { strict as assert } from 'node:assert';
import { subtreeIds, type TreeNode } from '../../../src/extension/core/messageSubtree';

const node = (id: string, parentId: string | null): TreeNode => ({ id, parentId });

describe('subtreeIds: what deleting a message takes with it', () => {
  // u1 → a1 → u2 → a2, with a regenerated sibling a2b and an edited branch u2b → a3.
  const tree = [node('u1', null), node('a1', 'u1'), node('u2', 'a1'), node('a2', 'u2'), node('a2b', 'u2'), node('u2b', 'a1'), node('a3', 'u2b')];

  it('is the message and every reply under it, root first', () => {
    assert.deepEqual(subtreeIds(tree, 'u2'), ['u2', 'a2', 'a2b']);
    assert.deepEqual(subtreeIds(tree, 'a1'), ['a1', 'u2', 'a2', 'a2b', 'u2b', 'a3']);
  });

  it('is the message alone at a leaf, and nothing for an unknown id', () => {
    assert.deepEqual(subtreeIds(tree, 'a3'), ['a3']);
    assert.deepEqual(subtreeIds(tree, 'ghost'), []);
  });

  it('survives a 100,000-deep thread and a damaged cycle', () => {
    const deep: TreeNode[] = [node('m0', null)];
    for (let i = 1; i < 100_000; i++) deep.push(node(`m${i}`, `m${i - 1}`));
    assert.equal(subtreeIds(deep, 'm0').length, 100_000);
    const cycle = [node('x', 'y'), node('y', 'x')];
    assert.deepEqual(subtreeIds(cycle, 'x'), ['x', 'y']);
  });
});
