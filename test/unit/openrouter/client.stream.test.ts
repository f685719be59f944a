/**
 * The streaming client against the fake OpenRouter over real sockets, one
 * scenario per behaviour: what events arrive, what error ends the stream,
 * and that nothing is retried once a reply has started.
 */
import assert from 'node:assert/strict';
import { toDecimalString, usdFromNumber } from '../../../src/shared/money';
import { buildReply, startFakeOpenRouter, type FakeServer } from '../../fixtures/fakeOpenRouter';
import { chatRequests, drain, eventually, makeClient, ofType, userRequest } from './harness';

const expectedReply = (text: string, scenario: Parameters<typeof buildReply>[1]['scenario'] = 'normal') =>
  buildReply(text, { scenario });

describe('OpenRouterClient.streamChat over the fake server', () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeOpenRouter({ latencyScale: 0, retryAfterSec: 0.05, stallMs: 10_000 });
  });
  beforeEach(() => fake.reset());
  after(() => fake.close());

  describe('a normal reply', () => {
    it('streams the whole reply text in order', async () => {
      const { client } = makeClient(fake);
      const { content, error } = await drain(client.streamChat(userRequest('hello there')));
      assert.equal(error, undefined);
      assert.equal(content, expectedReply('hello there').content);
    });

    it('announces the generation id and served model before the first token', async () => {
      const { client } = makeClient(fake);
      const { events } = await drain(client.streamChat(userRequest('hi')));
      const firstContent = events.findIndex((e) => e.type === 'content');
      assert.equal(events[0]?.type, 'generation');
      assert.ok(events.findIndex((e) => e.type === 'model') < firstContent);
      assert.deepEqual(ofType(events, 'model')[0], { type: 'model', model: 'openai/gpt-4o-mini', provider: 'OpenAI' });
    });

    it('reports a generation id that matches the X-Generation-Id the server issued', async () => {
      const { client } = makeClient(fake);
      const { events } = await drain(client.streamChat(userRequest('hi')));
      assert.deepEqual([...new Set(ofType(events, 'generation').map((e) => e.id))], [chatRequests(fake)[0]?.generationId]);
    });

    it('ends with usage then finish, the usage cost being exactly what was billed', async () => {
      const { client } = makeClient(fake);
      const { events } = await drain(client.streamChat(userRequest('what does it cost?')));
      assert.deepEqual(events.slice(-2).map((e) => e.type), ['usage', 'finish']);
      const usage = ofType(events, 'usage')[0]!;
      const billed = usdFromNumber(fake.generations()[0]!.total_cost)!;
      assert.equal(usage.costText, toDecimalString(billed));
      assert.equal(usage.cost?.atto, billed.atto);
    });

    it('reports the finish reason and the attempt timing', async () => {
      const { client } = makeClient(fake);
      const { events } = await drain(client.streamChat(userRequest('hi')));
      const finish = ofType(events, 'finish')[0]!;
      assert.equal(finish.reason, 'stop');
      assert.equal(finish.timing.attempts, 1);
      assert.ok(finish.timing.firstTokenAt !== undefined && finish.timing.firstTokenAt >= finish.timing.headersAt);
    });

    it('sends the key as a bearer token and the attribution headers', async () => {
      const { client } = makeClient(fake);
      await drain(client.streamChat(userRequest('hi')));
      const request = chatRequests(fake)[0]!;
      assert.match(request.authorization ?? '', /^Bearer sk-or-v1-/);
      assert.equal(request.headers['x-openrouter-title'], 'Neural Terminal tests');
      assert.equal(request.headers['http-referer'], 'https://example.invalid/neural-terminal');
    });

    it('asks for a stream and does not send the deprecated usage flag', async () => {
      const { client } = makeClient(fake);
      await drain(client.streamChat(userRequest('hi', { maxTokens: 100 })));
      const body = chatRequests(fake)[0]!.body as Record<string, unknown>;
      assert.equal(body['stream'], true);
      assert.equal(body['max_tokens'], 100);
      assert.equal('usage' in body, false);
    });
  });

  describe('stream format edge cases', () => {
    it('reassembles CRLF events and UTF-8 characters split across TCP writes', async () => {
      const { client } = makeClient(fake);
      const { content, error } = await drain(client.streamChat(userRequest('split please [[scenario:split]]')));
      assert.equal(error, undefined);
      assert.equal(content, expectedReply('split please', 'split').content);
    });

    it('skips and logs a malformed event line, then goes on to the end', async () => {
      const { client, logger } = makeClient(fake);
      const { content, error } = await drain(client.streamChat(userRequest('noise [[scenario:garbage]]')));
      assert.equal(error, undefined);
      assert.equal(content, expectedReply('noise').content);
      assert.ok(logger.lines.some((l) => l.startsWith('warn') && l.includes('malformed')));
    });

    it('streams reasoning before content and keeps them apart', async () => {
      const { client } = makeClient(fake);
      const { events, reasoning, content } = await drain(
        client.streamChat(userRequest('think [[scenario:reasoning]]', { model: 'deepseek/deepseek-r1' })),
      );
      const expected = expectedReply('think', 'reasoning');
      assert.equal(reasoning, expected.reasoning);
      assert.equal(content, expected.content);
      assert.ok(events.findLastIndex((e) => e.type === 'reasoning') < events.findIndex((e) => e.type === 'content'));
    });

    it('reports completion tokens as sent, reasoning tokens included rather than added', async () => {
      const { client } = makeClient(fake);
      const { events } = await drain(client.streamChat(userRequest('think [[scenario:reasoning]]')));
      const usage = ofType(events, 'usage')[0]!;
      const billed = fake.generations()[0]!;
      assert.ok(usage.reasoningTokens > 0);
      assert.equal(usage.completionTokens, billed.native_tokens_completion);
    });

    it('reports prompt tokens as sent, cached tokens included rather than added', async () => {
      const { client } = makeClient(fake);
      const { events } = await drain(client.streamChat(userRequest('a cached prompt of some length [[scenario:cached]]')));
      const usage = ofType(events, 'usage')[0]!;
      const billed = fake.generations()[0]!;
      assert.ok(usage.cachedTokens > 0);
      assert.equal(usage.promptTokens, billed.native_tokens_prompt);
    });

    it('does not count the time the consumer spends on an event as silence', async () => {
      const { client } = makeClient(fake, { timeouts: { connectMs: 5_000, stallMs: 200, requestMs: 5_000 } });
      let waited = false;
      const stream = client.streamChat(userRequest('take your time'));
      const events = [];
      for await (const event of stream) {
        events.push(event);
        if (event.type === 'content' && !waited) {
          waited = true;
          await new Promise((r) => setTimeout(r, 600));
        }
      }
      assert.equal(ofType(events, 'finish').length, 1);
    });

    it('treats keep-alive comments as life: a slow warm-up does not stall', async () => {
      const slowFake = await startFakeOpenRouter({ latencyScale: 0.5 }); // comments 200 ms apart, 8 of them
      try {
        const { client } = makeClient(slowFake, { timeouts: { connectMs: 5_000, stallMs: 1_000, requestMs: 5_000 } });
        const { error, content } = await drain(client.streamChat(userRequest('wake up [[scenario:keepalive]]')));
        assert.equal(error, undefined);
        assert.equal(content, expectedReply('wake up').content);
      } finally {
        await slowFake.close();
      }
    });
  });

  describe('failures after HTTP 200', () => {
    it('ends a mid-stream error chunk with a midstream error, keeping what had arrived', async () => {
      const { client } = makeClient(fake);
      const { error, content } = await drain(client.streamChat(userRequest('oops [[scenario:midstream_error]]')));
      assert.equal(error?.kind, 'midstream');
      assert.equal(error?.details.serverMessage, 'Provider disconnected');
      assert.ok(content.length > 0);
      assert.deepEqual(error?.partial, { delivered: true, contentChars: content.length, reasoningChars: 0 });
    });

    it('does not retry a mid-stream error once tokens were delivered', async () => {
      const { client } = makeClient(fake);
      const { events } = await drain(client.streamChat(userRequest('oops [[scenario:midstream_error]]')));
      assert.equal(chatRequests(fake).length, 1);
      assert.equal(ofType(events, 'retry').length, 0);
    });

    it('reports a body that ends without finish or [DONE] as cut off, not success', async () => {
      const { client } = makeClient(fake);
      const { error, events } = await drain(client.streamChat(userRequest('bye [[scenario:disconnect]]')));
      assert.equal(error?.kind, 'cut_off');
      assert.equal(ofType(events, 'finish').length, 0);
      assert.equal(chatRequests(fake).length, 1);
    });

    it('gives the failed generation’s id so its cost can be looked up', async () => {
      const { client } = makeClient(fake);
      const { error } = await drain(client.streamChat(userRequest('bye [[scenario:disconnect]]')));
      assert.equal(error?.generationId, chatRequests(fake)[0]?.generationId);
    });

    it('ends a silent stream with a stalled error after the stall timeout', async () => {
      const { client } = makeClient(fake, { timeouts: { connectMs: 5_000, stallMs: 300, requestMs: 5_000 } });
      const { error } = await drain(client.streamChat(userRequest('hello? [[scenario:stall]]')));
      assert.equal(error?.kind, 'stalled');
      assert.equal(error?.partial.delivered, true);
    });
  });

  describe('cancellation', () => {
    it('ends the stream with a cancelled error when the signal aborts', async () => {
      const { client } = makeClient(fake);
      const controller = new AbortController();
      const { error } = await drain(
        client.streamChat(userRequest('slowly [[scenario:slow]]'), { signal: controller.signal }),
        (e) => {
          if (e.type === 'content') controller.abort();
        },
      );
      assert.equal(error?.kind, 'cancelled');
      assert.equal(error?.partial.delivered, true);
    });


    it('closes the connection when the signal aborts', async () => {
      const slowFake = await startFakeOpenRouter({ latencyScale: 1 });
      try {
        const { client } = makeClient(slowFake);
        const controller = new AbortController();
        await drain(client.streamChat(userRequest('slowly [[scenario:slow]]'), { signal: controller.signal }), (e) => {
          if (e.type === 'content') controller.abort();
        });
        await eventually(() => slowFake.openStreams() === 0, 'the server sees the client leave');
      } finally {
        await slowFake.close();
      }
    });

    it('aborts the request when the consumer stops iterating', async () => {
      const slowFake = await startFakeOpenRouter({ latencyScale: 1 });
      try {
        const { client } = makeClient(slowFake);
        for await (const event of client.streamChat(userRequest('slowly [[scenario:slow]]'))) {
          if (event.type === 'content') break;
        }
        await eventually(() => slowFake.openStreams() === 0, 'the server sees the client leave');
      } finally {
        await slowFake.close();
      }
    });

    it('does not send anything when the signal is already aborted', async () => {
      const { client } = makeClient(fake);
      const { error } = await drain(client.streamChat(userRequest('hi'), { signal: AbortSignal.abort() }));
      assert.equal(error?.kind, 'cancelled');
      assert.equal(chatRequests(fake).length, 0);
    });
  });

  describe('errors before the stream', () => {
    it('maps a context-length 400 and does not retry it', async () => {
      const { client } = makeClient(fake);
      const { error } = await drain(client.streamChat(userRequest('big [[scenario:context_length]]')));
      assert.equal(error?.kind, 'context_length');
      assert.equal(chatRequests(fake).length, 1);
    });

    it('maps a 401 to unauthorized with the set-key action and does not retry it', async () => {
      const { client } = makeClient(fake);
      const { error } = await drain(client.streamChat(userRequest('hi [[scenario:unauthorized]]')));
      assert.equal(error?.kind, 'unauthorized');
      assert.equal(error?.action, 'set_key');
      assert.equal(chatRequests(fake).length, 1);
    });

    it('maps a 402 to no_credits with the affordable token count', async () => {
      const { client } = makeClient(fake);
      const { error } = await drain(client.streamChat(userRequest('hi [[scenario:no_credits]]')));
      assert.equal(error?.kind, 'no_credits');
      assert.equal(error?.details.affordableTokens, 1234);
      assert.equal(chatRequests(fake).length, 1);
    });

    it('maps a 403 to moderation with its reasons', async () => {
      const { client } = makeClient(fake);
      const { error } = await drain(client.streamChat(userRequest('hi [[scenario:moderation]]')));
      assert.equal(error?.kind, 'moderation');
      assert.deepEqual(error?.details.moderationReasons, ['violence']);
      assert.equal(chatRequests(fake).length, 1);
    });

    it('does not retry the daily free-model limit', async () => {
      const { client } = makeClient(fake);
      const { error } = await drain(client.streamChat(userRequest('hi [[scenario:rate_limit_daily]]')));
      assert.equal(error?.kind, 'rate_limited');
      assert.equal(error?.details.dailyLimit, true);
      assert.equal(chatRequests(fake).length, 1);
    });

    it('fails with missing_key and sends nothing when no key is set', async () => {
      const { client } = makeClient(fake, { apiKey: async () => undefined });
      const { error } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error?.kind, 'missing_key');
      assert.equal(fake.requests.length, 0);
    });
  });

  describe('retries before the first token', () => {
    it('waits out a 429’s Retry-After, announces the retry, then streams the reply', async () => {
      fake.setScenarios(['rate_limit']);
      const { client } = makeClient(fake);
      const { events, error, content } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error, undefined);
      const retry = ofType(events, 'retry')[0]!;
      assert.equal(retry.error.kind, 'rate_limited');
      assert.ok(retry.delayMs >= 50, `delay ${retry.delayMs} honours Retry-After 0.05 s`);
      assert.equal(content, expectedReply('hi').content);
    });

    it('retries a burst of 5xx errors and succeeds when the server recovers', async () => {
      const { client } = makeClient(fake, { retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 5_000, retryAfterJitterMs: 5 } });
      const { events, error } = await drain(client.streamChat(userRequest('hi [[scenario:server_error_burst]]')));
      assert.equal(error, undefined);
      assert.deepEqual(ofType(events, 'retry').map((r) => [r.attempt, r.error.kind]), [[2, 'server'], [3, 'server'], [4, 'server']]);
      assert.equal(ofType(events, 'finish')[0]?.timing.attempts, 4);
    });

    it('gives up after the maximum attempts with the last error', async () => {
      const { client } = makeClient(fake);
      const { events, error } = await drain(client.streamChat(userRequest('hi [[scenario:provider_error]]')));
      assert.equal(error?.kind, 'provider');
      assert.equal(ofType(events, 'retry').length, 2);
      assert.equal(chatRequests(fake).length, 3);
    });

    it('retries a 408 timeout', async () => {
      fake.setScenarios(['timeout']);
      const { client } = makeClient(fake);
      const { events, error } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error, undefined);
      assert.equal(ofType(events, 'retry')[0]?.error.kind, 'timeout');
    });

    it('ends a retry wait at once when the signal aborts', async () => {
      const { client } = makeClient(fake, { retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, maxTotalMs: 600_000, retryAfterJitterMs: 0 } });
      const controller = new AbortController();
      const { error } = await drain(client.streamChat(userRequest('hi [[scenario:provider_error]]'), { signal: controller.signal }), (e) => {
        if (e.type === 'retry') controller.abort();
      });
      assert.equal(error?.kind, 'cancelled');
      assert.equal(chatRequests(fake).length, 1);
    });
  });

  describe('fallback models', () => {
    it('sends the fallback list as `models` after the chosen model', async () => {
      const { client } = makeClient(fake);
      await drain(client.streamChat(userRequest('hi', { fallbackModels: ['anthropic/claude-sonnet-4'] })));
      const body = chatRequests(fake)[0]!.body as Record<string, unknown>;
      assert.deepEqual(body['models'], ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4']);
    });

    it('reports the model actually served when the first is unavailable', async () => {
      const { client } = makeClient(fake);
      const { events, error } = await drain(
        client.streamChat(userRequest('hi [[scenario:unavailable]]', { fallbackModels: ['anthropic/claude-sonnet-4'] })),
      );
      assert.equal(error, undefined);
      assert.deepEqual(ofType(events, 'model').map((e) => e.model), ['anthropic/claude-sonnet-4']);
    });

    it('reports the usage cost of the served model', async () => {
      const { client } = makeClient(fake);
      const { events } = await drain(
        client.streamChat(userRequest('hi [[scenario:unavailable]]', { fallbackModels: ['anthropic/claude-sonnet-4'] })),
      );
      const billed = fake.generations()[0]!;
      assert.equal(billed.model, 'anthropic/claude-sonnet-4');
      assert.equal(ofType(events, 'usage')[0]?.costText, toDecimalString(usdFromNumber(billed.total_cost)!));
    });

    it('fails with unavailable and suggests another model when there is no fallback', async () => {
      const { client } = makeClient(fake, { retry: { maxAttempts: 1 } });
      const { error } = await drain(client.streamChat(userRequest('hi [[scenario:unavailable]]')));
      assert.equal(error?.kind, 'unavailable');
      assert.equal(error?.action, 'use_fallback_model');
    });
  });

  /**
   * Wire shapes the fake server cannot produce (it always writes one event per
   * TCP segment and ends cut-offs by destroying the socket). A `Response` built in
   * memory stands in for the socket here only; everything else above is real.
   */
  describe('wire cases beyond the fake server', () => {
    const chunk = (content: string, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'gen-x', model: 'm/x', provider: 'P', choices: [{ delta: { content }, finish_reason: finish }] })}\n\n`;
    const inMemory = (...reads: string[]) => async (): Promise<Response> =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (const r of reads) controller.enqueue(new TextEncoder().encode(r));
            controller.close();
          },
        }),
        { status: 200, headers: { 'Content-Type': 'text/event-stream' } },
      );

    it('reports a body that ends cleanly without finish or [DONE] as cut off', async () => {
      const { client } = makeClient(fake, { fetch: inMemory(chunk('Hel'), chunk('lo')) });
      const { error, content } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error?.kind, 'cut_off');
      assert.equal(content, 'Hello');
    });

    it('accepts a reply that finished but lost its closing [DONE]', async () => {
      const { client } = makeClient(fake, { fetch: inMemory(chunk('Hello'), chunk('', 'length')) });
      const { error, events } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error, undefined);
      assert.equal(ofType(events, 'finish')[0]?.reason, 'length');
    });

    it('delivers no further token after an abort, even from data already received', async () => {
      const { client } = makeClient(fake, { fetch: inMemory(chunk('one ') + chunk('two ') + chunk('three', 'stop') + 'data: [DONE]\n\n') });
      const controller = new AbortController();
      const { events, error } = await drain(client.streamChat(userRequest('hi'), { signal: controller.signal }), (e) => {
        if (e.type === 'content') controller.abort();
      });
      assert.equal(error?.kind, 'cancelled');
      assert.equal(ofType(events, 'content').length, 1);
    });

    it('announces a generation that changes in the middle of otherwise repeated chunks', async () => {
      const other = `data: ${JSON.stringify({ id: 'gen-y', model: 'm/x', provider: 'P', choices: [{ delta: { content: 'c' }, finish_reason: null }] })}\n\n`;
      const { client } = makeClient(fake, { fetch: inMemory(chunk('a') + chunk('b') + other + chunk('d'), chunk('', 'stop'), 'data: [DONE]\n\n') });
      const { events, content, error } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error, undefined);
      assert.equal(content, 'abcd');
      assert.deepEqual(ofType(events, 'generation').map((e) => e.id), ['gen-x', 'gen-y', 'gen-x']);
    });

    it('reads escaped text in repeated chunks exactly, and skips one whose text is not a string', async () => {
      const notText = chunk('x').replace('"x"', '42');
      const { client, logger } = makeClient(fake, {
        fetch: inMemory(chunk('say '), chunk('"hi"\n'), notText, chunk('\\ é🙂'), chunk('', 'stop'), 'data: [DONE]\n\n'),
      });
      const { content, error } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error, undefined);
      assert.equal(content, 'say "hi"\n\\ é🙂');
      assert.ok(logger.lines.some((l) => l.startsWith('warn') && l.includes('malformed')));
    });

    it('ignores events with an unknown event name', async () => {
      const named = `event: something-new\ndata: ${JSON.stringify({ choices: [{ delta: { content: 'NOT TEXT' } }] })}\n\n`;
      const { client } = makeClient(fake, { fetch: inMemory(chunk('Hi'), named, chunk('', 'stop'), 'data: [DONE]\n\n') });
      const { content } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(content, 'Hi');
    });
  });
});
