/**
 * The storage bench's deterministic corpus: conversations of realistic
 * messages (about 1.3 KB on average, a Zipf-like vocabulary, some code) and a
 * fixed mix of search queries drawn from them. Shared by the storage benches;
 * the query mix must not be made easier to meet a goal.
 */
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportFile } from '../../src/extension/storage/exportFormat';

// ── deterministic corpus ─────────────────────────────────────────────────────

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const random = rng(20261125);
const COMMON = (
  'the of and to a in is it you that he was for on are with as i his they be at one have this from or had by not ' +
  'but what some we can out other were all there when up use your how said an each she which do their time if will ' +
  'way about many then them write would like so these her long make thing see him two has look more day could go ' +
  'come did number sound no most people my over know water than call first who may down side been now find code ' +
  'function error return value type string file test build run data model request response token cost stream'
).split(' ');
const RARE = Array.from({ length: 30_000 }, () => {
  const length = 4 + Math.floor(random() * 7);
  let word = '';
  for (let i = 0; i < length; i++) word += String.fromCharCode(97 + Math.floor(random() * 26));
  return word;
});

/** Zipf-like: a few words are everywhere (as in real chats), most are rare. */
function word(): string {
  if (random() < 0.45) return COMMON[Math.floor(random() ** 1.6 * COMMON.length)] ?? 'the';
  return RARE[Math.floor(random() ** 2.2 * RARE.length)] ?? 'x';
}

function sentence(words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(word());
  return `${out.join(' ')}.`;
}

export function messageText(role: 'user' | 'assistant'): string {
  if (role === 'user') return sentence(8 + Math.floor(random() * 30));
  const parts: string[] = [];
  const paragraphs = 1 + Math.floor(random() * 4);
  for (let p = 0; p < paragraphs; p++) parts.push(sentence(20 + Math.floor(random() * 60)));
  if (random() < 0.3) parts.push(`\`\`\`ts\nconst ${word()} = ${word()}(${word()});\nreturn ${word()};\n\`\`\``);
  return parts.join('\n\n');
}

export function corpus(messages: number): ExportFile {
  const perConversation = 50;
  const conversations: ExportFile['conversations'] = [];
  let time = Date.UTC(2024, 0, 1);
  for (let c = 0; c * perConversation < messages; c++) {
    const count = Math.min(perConversation, messages - c * perConversation);
    const list: ExportFile['conversations'][number]['messages'] = [];
    for (let i = 0; i < count; i++) {
      const role = i % 2 === 0 ? 'user' : 'assistant';
      time += 1000 + Math.floor(random() * 60_000);
      list.push({
        id: `m${c}-${i}`, parentId: i === 0 ? null : `m${c}-${i - 1}`, role, content: messageText(role),
        promptTokens: role === 'assistant' ? 500 + i * 40 : null, completionTokens: role === 'assistant' ? 300 : null,
        reasoningTokens: null, cachedTokens: null,
        cost: role === 'assistant' ? { usd: `0.000${1000 + Math.floor(random() * 9000)}`, source: 'usage' } : null,
        latencyMs: role === 'assistant' ? 1500 : null, ttftMs: role === 'assistant' ? 300 : null,
        modelId: role === 'assistant' ? 'anthropic/claude-sonnet-4' : null, generationId: null, finishReason: 'stop',
        status: 'complete', createdAt: time, metadata: {}, copiedFromMessageId: null,
      });
    }
    conversations.push({
      id: `c${c}`, title: sentence(3 + Math.floor(random() * 4)), modelId: 'anthropic/claude-sonnet-4', status: c % 7 === 0 ? 'archived' : 'active',
      createdAt: list[0]?.createdAt ?? time, updatedAt: time, tags: c % 5 === 0 ? ['work'] : [], systemPrompt: null,
      parentConversationId: null, forkedFromMessageId: null, activeLeafId: null, totalCostUsd: '0', totalTokens: 0, messages: list,
    });
  }
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: time, conversations };
}

export function queries(file: ExportFile, count: number): { kind: string; text: string }[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const messages = file.conversations.flatMap((c) => c.messages);
  const wordsOf = (text: string): string[] => text.split(/[^a-z]+/).filter((w) => w.length > 2);
  const result: { kind: string; text: string }[] = [];
  const kinds = ['word from a message', 'two words', 'prefix', 'phrase', 'rare word'] as const;
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length] ?? 'rare word';
    const words = wordsOf(pick(messages).content);
    const at = Math.floor(random() * Math.max(1, words.length - 1));
    const text =
      kind === 'word from a message' ? (words[at] ?? 'the')
      : kind === 'two words' ? `${words[at] ?? 'the'} ${pick(words) ?? 'code'}`
      : kind === 'prefix' ? `${(words[at] ?? 'functional').slice(0, 4)}*`
      : kind === 'phrase' ? `"${words[at] ?? 'the'} ${words[at + 1] ?? 'code'}"`
      : pick(RARE);
    result.push({ kind, text });
  }
  return result;
}

