import assert from 'node:assert/strict';
import { contextUse, sendPromptTokens, typicalReplyTokens } from '../../../src/extension/core/sendEstimate';
import { DEFAULT_REPLY_RESERVE } from '../../../src/extension/core/contextWindow';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS } from '../../../src/extension/core/tokenCounter';

describe('send estimate and context meter math', () => {
  it('counts every entry and the new text with their message overhead', () => {
    const entries = [{ content: 'Hello there, how are you?' }, { content: 'Fine, thanks.' }];
    const expected = entries.reduce((n, e) => n + estimateTokens(e.content), 0) + estimateTokens('And you?') + 3 * MESSAGE_OVERHEAD_TOKENS;
    assert.equal(sendPromptTokens(entries, 'And you?'), expected);
    assert.equal(sendPromptTokens([], ''), MESSAGE_OVERHEAD_TOKENS);
  });

  it('assumes the max-tokens setting, else a typical reply no longer than the model allows', () => {
    assert.equal(typicalReplyTokens({ maxCompletionTokens: 100_000 }, 321), 321);
    assert.equal(typicalReplyTokens({ maxCompletionTokens: 100_000 }, undefined), DEFAULT_REPLY_RESERVE);
    assert.equal(typicalReplyTokens({ maxCompletionTokens: 10 }, undefined), 10);
    assert.equal(typicalReplyTokens({ maxCompletionTokens: undefined }, undefined), DEFAULT_REPLY_RESERVE);
  });

  it('reports the last exchange against the window, with the reply reserve kept free', () => {
    const use = contextUse({ contextLength: 8_000, maxCompletionTokens: 1_000 }, { promptTokens: 3_000, completionTokens: 500 }, 1_000);
    assert.deepEqual(use, { used: 3_500, reserve: 1_000, limit: 8_000 });
    assert.equal(contextUse({ contextLength: 8_000, maxCompletionTokens: 1_000 }, undefined, 1_000).used, 0);
  });
});
