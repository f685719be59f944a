import { strict as assert } from 'node:assert';
import { formatContextLength } from '../../../src/shared/contextLength';

describe('context length format (drawer and quick pick alike)', () => {
  it('shows thousands as k and millions as M with three significant digits', () => {
    assert.equal(formatContextLength(8192), '8k');
    assert.equal(formatContextLength(131_072), '131k');
    assert.equal(formatContextLength(1_048_576), '1.05M');
    assert.equal(formatContextLength(2_000_000), '2M');
    assert.equal(formatContextLength(999_999), '1M');
    assert.equal(formatContextLength(512), '512');
    assert.equal(formatContextLength(0), '?');
  });
});
