import assert from 'node:assert/strict';
import { isRejection, parseChunk, SseDecoder, type ChunkParse, type StreamChunk } from '../../../src/extension/openrouter/sse';

function accepted(r: ChunkParse): StreamChunk {
  assert.ok(!isRejection(r), isRejection(r) ? r.rejected : '');
  return r;
}

function decode(pieces: Array<string | Uint8Array>): { data: string[]; comments: string[]; errors: string[] } {
  const out = { data: [] as string[], comments: [] as string[], errors: [] as string[] };
  const decoder = new SseDecoder({
    onData: (d) => out.data.push(d),
    onComment: (c) => out.comments.push(c),
    onSyntaxError: (m) => out.errors.push(m),
  });
  for (const p of pieces) decoder.push(typeof p === 'string' ? new TextEncoder().encode(p) : p);
  decoder.end();
  return out;
}

describe('SseDecoder', () => {
  it('reassembles an event split across reads', () => {
    assert.deepEqual(decode(['da', 'ta: {"a"', ':1}\n', '\n']).data, ['{"a":1}']);
  });

  it('accepts CRLF line endings, even with CR and LF in different reads', () => {
    assert.deepEqual(decode(['data: x\r', '\n\r', '\n']).data, ['x']);
  });

  it('keeps a multi-byte UTF-8 character split across reads intact', () => {
    const bytes = new TextEncoder().encode('data: 🙂é\n\n');
    const cut = 8; // inside the 4-byte emoji
    assert.deepEqual(decode([bytes.subarray(0, cut), bytes.subarray(cut)]).data, ['🙂é']);
  });

  it('reports keep-alive comments separately from data', () => {
    const out = decode([': OPENROUTER PROCESSING\n\ndata: [DONE]\n\n']);
    assert.deepEqual(out.comments, ['OPENROUTER PROCESSING']);
    assert.deepEqual(out.data, ['[DONE]']);
  });

  it('drops an unterminated last event, as SSE requires', () => {
    assert.deepEqual(decode(['data: one\n\ndata: half']).data, ['one']);
  });
});

describe('parseChunk', () => {
  it('reads id, model, provider and the first choice’s deltas', () => {
    const c = accepted(parseChunk(JSON.stringify({ id: 'gen-1', model: 'm', provider: 'P', choices: [{ delta: { content: 'Hi', reasoning: 'hm' }, finish_reason: null }] })));
    assert.deepEqual([c.id, c.model, c.provider, c.content, c.reasoning, c.finishReason], ['gen-1', 'm', 'P', 'Hi', 'hm', undefined]);
  });

  it('reads the usage chunk with empty choices, details included', () => {
    const c = accepted(parseChunk(JSON.stringify({
      id: 'gen-1',
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30, cost: 0.000123, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 7 } },
    })));
    assert.deepEqual(c.usage, {
      promptTokens: 10,
      completionTokens: 20,
      reasoningTokens: 7,
      cachedTokens: 4,
      cacheWriteTokens: 0,
      cost: 0.000123,
      upstreamCost: undefined,
      byok: false,
    });
  });

  it('reads a BYOK usage block: the fee, the upstream charge and cache writes', () => {
    const c = parseChunk(
      JSON.stringify({
        choices: [],
        usage: {
          prompt_tokens: 194,
          completion_tokens: 2,
          cost: 0.95,
          is_byok: true,
          cost_details: { upstream_inference_cost: 19 },
          prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 100 },
        },
      }),
    );
    assert.ok(!isRejection(c));
    assert.equal(c.usage?.cost, 0.95);
    assert.equal(c.usage?.upstreamCost, 19);
    assert.equal(c.usage?.byok, true);
    assert.equal(c.usage?.cacheWriteTokens, 100);
  });

  it('rejects an upstream cost that is not a number', () => {
    const bad = { usage: { prompt_tokens: 1, completion_tokens: 1, cost: 0.1, cost_details: { upstream_inference_cost: '2' } } };
    assert.equal(isRejection(parseChunk(JSON.stringify(bad))), true);
  });

  it('reads url_citation annotations of a delta and skips malformed ones', () => {
    const c = parseChunk(
      JSON.stringify({
        choices: [
          {
            delta: {
              content: '',
              annotations: [
                { type: 'url_citation', url_citation: { url: 'https://example.org/a', title: 'A' } },
                { type: 'url_citation', url_citation: { title: 'no url' } },
                { type: 'file', file: {} },
              ],
            },
          },
        ],
      }),
    );
    assert.ok(!isRejection(c));
    assert.deepEqual(c.citations, [{ url: 'https://example.org/a', title: 'A' }]);
  });

  it('reads a top-level error of a mid-stream failure', () => {
    const c = accepted(parseChunk(JSON.stringify({ error: { code: 'server_error', message: 'Provider disconnected' }, choices: [{ delta: { content: '' }, finish_reason: 'error' }] })));
    assert.deepEqual(c.error, { code: 'server_error', message: 'Provider disconnected' });
    assert.equal(c.finishReason, 'error');
  });

  it('rejects text that is not JSON', () => {
    assert.deepEqual(parseChunk('{not json'), { rejected: 'not JSON' });
  });

  it('rejects a content delta that is not a string', () => {
    assert.equal(isRejection(parseChunk(JSON.stringify({ choices: [{ delta: { content: 42 } }] }))), true);
  });

  it('rejects usage counts that are not numbers', () => {
    assert.equal(isRejection(parseChunk(JSON.stringify({ usage: { prompt_tokens: '10', completion_tokens: 1 } }))), true);
  });

  it('rejects a usage cost that is not a number', () => {
    assert.equal(isRejection(parseChunk(JSON.stringify({ usage: { prompt_tokens: 1, completion_tokens: 1, cost: '0.1' } }))), true);
  });

  it('treats null content as no content', () => {
    const c = accepted(parseChunk(JSON.stringify({ choices: [{ delta: { content: null }, finish_reason: 'stop' }] })));
    assert.equal(c.content, undefined);
    assert.equal(c.finishReason, 'stop');
  });
});
