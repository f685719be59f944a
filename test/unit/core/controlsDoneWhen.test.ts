/**
 * Issue 17's "Done when", one control at a time, through the chat engine and the fake over HTTP:
 * the price the estimate uses before the send, the entry's stored cost, the usage report and the
 * fake's bill agree to the last digit. The estimate is linear in the reply's tokens, so it is
 * taken before the send at the prompt the fake will count (its documented rule: ceil(chars / 4),
 * checked against the usage afterwards) for 0 and 1 reply tokens; applied to the reply's actual
 * completion tokens it must equal what the fake billed.
 */
import { strict as assert } from 'node:assert';
import { DEFAULT_CONTROL_SETTINGS, type ControlSettings, type SendControls } from '../../../src/extension/core/routing';
import { add, parseUsd, sub, times, toDecimalString, ZERO, type Usd } from '../../../src/shared/money';
import type { StoredMessage } from '../../../src/extension/storage/types';
import { chatRequests } from '../openrouter/harness';
import { closeAfterEach, chatHarness, serverBilled, started, type ChatHarness } from './chatHarness';

const DAY = 86_400_000;
const exact = (text: string | undefined): Usd => parseUsd(text ?? '') ?? ZERO;

describe('Each OpenRouter control: estimate, entry, usage report and bill agree to the last digit', function () {
  this.timeout(120_000);
  let h: ChatHarness;
  afterEach(closeAfterEach(() => h));

  async function open(controls: Partial<ControlSettings> = {}, systemPrompt?: string): Promise<void> {
    h = await chatHarness({ settings: { ...(systemPrompt ? { systemPrompt } : {}), controls: { ...DEFAULT_CONTROL_SETTINGS, ...controls } } });
  }

  /** Estimates, sends, then checks the four figures; returns the stored reply. */
  async function agree(args: { model: string; text: string; controls?: SendControls; conversationId?: string; promptChars: number }): Promise<StoredMessage> {
    const promptTokens = Math.max(1, Math.ceil(args.promptChars / 4));
    const at = async (replyTokens: number) =>
      (await h.engine.estimateSend({ conversationId: args.conversationId, modelId: args.model, promptTokens, replyTokens, controls: args.controls })).usd!;
    const before = await at(0);
    const perReplyToken = sub(await at(1), before);
    const reply = await started(await h.engine.send({ text: args.text, model: args.model, ...(args.conversationId ? { conversationId: args.conversationId } : {}), ...(args.controls ? { controls: args.controls } : {}) })).done;
    await h.engine.idle();
    assert.equal(reply.status, 'complete');
    assert.equal(reply.promptTokens, promptTokens, 'the estimate was taken at the prompt the fake counted');
    const gen = h.fake.generations().find((g) => g.id === reply.generationId)!;
    const billed = add(exact(String(gen.total_cost)), gen.upstream_inference_cost === null ? ZERO : exact(String(gen.upstream_inference_cost)));
    // Before the send: the estimate's prices on the reply's actual tokens.
    if (!gen.is_byok) assert.equal(toDecimalString(add(before, times(perReplyToken, reply.completionTokens!))), toDecimalString(billed), 'estimate');
    // The entry.
    assert.equal(reply.cost?.usd, toDecimalString(billed), 'entry');
    // The usage report (its model line covers every reply to that model in this fresh store).
    const now = Date.now();
    const report = await h.store.usage(now - DAY, now);
    const line = report.byModel.find((r) => r.key === args.model)!;
    const billedForModel = h.fake.generations().filter((g) => g.model === args.model);
    const fakeTotal = billedForModel.reduce((s, g) => add(add(s, exact(String(g.total_cost))), g.upstream_inference_cost === null ? ZERO : exact(String(g.upstream_inference_cost))), ZERO);
    assert.equal(line.cost, toDecimalString(fakeTotal), 'usage report');
    assert.equal(report.total, toDecimalString(serverBilled(h.fake)), 'usage report total = the fake’s bill');
    return reply;
  }

  it('routing (zero data retention → Fastlane, at its prices)', async () => {
    await open({ sessionId: false, promptCaching: false });
    const text = 'route me to a provider that keeps nothing';
    await agree({ model: 'anthropic/claude-sonnet-4', text, controls: { routing: { zdr: true } }, promptChars: text.length });
    assert.equal(chatRequests(h.fake)[0]?.servedProvider, 'Fastlane');
  });

  it('prompt caching (second send reads the first back, at the serving provider’s cache prices)', async () => {
    const system = 'You are a careful assistant who answers in full sentences. '.repeat(30);
    await open({ sessionId: false }, system);
    const routing = { order: ['fastlane'], allowFallbacks: false };
    const first = await agree({ model: 'anthropic/claude-sonnet-4', text: 'first question', controls: { routing }, promptChars: system.length + 'first question'.length });
    const second = await agree({
      model: 'anthropic/claude-sonnet-4',
      text: 'second question',
      conversationId: first.conversationId,
      promptChars: system.length + 'first question'.length + first.content.length + 'second question'.length,
    });
    assert.ok((second.cachedTokens ?? 0) > 0, 'the first turn was read back');
  });

  it('reasoning (effort high: reasoning tokens billed as completion)', async () => {
    await open({ sessionId: false });
    const reply = await agree({ model: 'deepseek/deepseek-r1', text: 'think it through', controls: { reasoning: { effort: 'high' } }, promptChars: 'think it through'.length });
    assert.ok((reply.reasoningTokens ?? 0) > 0);
  });

  it('web search (five results at their per-result price)', async () => {
    await open({ sessionId: false });
    const reply = await agree({ model: 'openai/gpt-4o-mini', text: 'search the web for this', controls: { webSearch: true }, promptChars: 'search the web for this'.length });
    assert.equal((reply.metadata.citations as unknown[]).length, 5);
  });

  it('preset and session id (sent, and priced like any send)', async () => {
    await open({ preset: 'team-default' });
    await agree({ model: 'openai/gpt-4o-mini', text: 'with the team preset', promptChars: 'with the team preset'.length });
    const body = chatRequests(h.fake)[0]?.body as { preset?: string; session_id?: string };
    assert.equal(body.preset, 'team-default');
    assert.match(body.session_id ?? '', /^nt-/);
  });

  it('BYOK (the entry and the report count fee + provider charge, as billed)', async () => {
    await open({ sessionId: false });
    const reply = await agree({ model: 'openai/gpt-4o-mini', text: 'on my own key [[scenario:byok]]', promptChars: 'on my own key [[scenario:byok]]'.length });
    const billing = reply.metadata.billing as { fee: string; upstream: string };
    assert.ok(exact(billing.upstream).atto > 0n);
    assert.equal(toDecimalString(add(exact(billing.fee), exact(billing.upstream))), reply.cost?.usd);
  });
});
