/**
 * Exports conversations: as versioned JSON (every branch, fork links, exact
 * costs — what the importer reads back) or as a Markdown transcript of the
 * active branch with a metadata line per message, for reading and sharing.
 * Read-only. No `vscode` import.
 */
import { formatCost, parseUsd, ZERO } from '../../shared/money';
import { composeUserContent, mediaPlaceholder, readSentAttachments } from '../../shared/attachments';
import type { ConversationStore } from './conversationStore';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportFile, type ExportedConversation } from './exportFormat';
import type { Clock, Conversation, PathEntry, StoredMessage } from './types';
import { readComparison } from '../../shared/comparison';
import { comparisonMarkdown, comparisonRows } from './comparisonRows';

export interface ExportScope {
  /** Conversations to export; all (active and archived) when omitted. */
  readonly conversationIds?: readonly string[];
}

export function exportJson(store: ConversationStore, clock: Clock, scope: ExportScope = {}): string {
  return JSON.stringify(buildExport(store, clock, scope), null, 1);
}

export function buildExport(store: ConversationStore, clock: Clock, scope: ExportScope = {}): ExportFile {
  const conversations = scope.conversationIds ? scope.conversationIds.map((id) => store.get(id)) : store.all();
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: clock.now(),
    conversations: conversations.map((c) => exportConversation(c, store.messages(c.id))),
  };
}

function exportConversation(c: Conversation, messages: readonly StoredMessage[]): ExportedConversation {
  const comparisons = messages.flatMap((m) => {
    const record = m.role === 'user' ? readComparison(m.metadata) : undefined;
    if (!record) return [];
    return [{ userMessageId: m.id, prompt: m.content, models: record.models, winner: record.winner, at: record.at, rows: comparisonRows(record, m.id, messages) }];
  });
  return {
    id: c.id,
    title: c.title,
    modelId: c.modelId,
    status: c.status,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    tags: [...c.tags],
    systemPrompt: c.systemPrompt,
    parentConversationId: c.parentConversationId,
    forkedFromMessageId: c.forkedFromMessageId,
    activeLeafId: c.activeLeafId,
    totalCostUsd: c.totalCostUsd,
    totalTokens: c.totalTokens,
    messages: messages.map((m) => ({
      id: m.id,
      parentId: m.parentId,
      role: m.role,
      content: m.content,
      promptTokens: m.promptTokens,
      completionTokens: m.completionTokens,
      reasoningTokens: m.reasoningTokens,
      cachedTokens: m.cachedTokens,
      cost: m.cost,
      latencyMs: m.latencyMs,
      ttftMs: m.ttftMs,
      modelId: m.modelId,
      generationId: m.generationId,
      finishReason: m.finishReason,
      status: m.status,
      createdAt: m.createdAt,
      metadata: m.metadata,
      copiedFromMessageId: m.copiedFromMessageId,
    })),
    ...(comparisons.length ? { comparisons } : {}),
  };
}

/** A readable transcript of the conversation's active branch. */
export function exportMarkdown(store: ConversationStore, conversationId: string): string {
  const conversation = store.get(conversationId);
  const path = store.activePath(conversationId);
  const lines: string[] = [`# ${conversation.title}`, ''];
  const total = parseUsd(conversation.totalCostUsd) ?? ZERO;
  lines.push(`- Conversation: \`${conversation.id}\``);
  if (conversation.modelId) lines.push(`- Model: ${conversation.modelId}`);
  lines.push(`- Created: ${iso(conversation.createdAt)} · Updated: ${iso(conversation.updatedAt)}`);
  lines.push(`- Status: ${conversation.status}${conversation.tags.length > 0 ? ` · Tags: ${conversation.tags.join(', ')}` : ''}`);
  const scope = conversation.parentConversationId ? 'all branches, not counting messages copied from the source' : 'all branches';
  lines.push(`- Total: ${formatCost(total)} (exact ${conversation.totalCostUsd} USD, ${scope}) · ${conversation.totalTokens} tokens`);
  if (conversation.parentConversationId) {
    lines.push(`- Forked from: \`${conversation.parentConversationId}\` at message \`${conversation.forkedFromMessageId ?? '?'}\``);
  }
  lines.push(`- Exported branch: ${path.length} of ${conversation.messageCount} messages`);
  if (conversation.systemPrompt) lines.push('', '## System prompt', '', conversation.systemPrompt);
  // A user message reads as the model received it: its attachments' text, then the words.
  for (const entry of path) {
    lines.push('', '---', '', `### ${headerLine(entry)}`, '', sentContent(entry.message));
    // A prompt sent to several models: the comparison's table, every reply's figures.
    const record = entry.message.role === 'user' ? readComparison(entry.message.metadata) : undefined;
    if (record) {
      const replies = record.replies.flatMap((id) => store.findMessage(id) ?? []);
      lines.push('', ...comparisonMarkdown(record, comparisonRows(record, entry.message.id, replies)));
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** `USER · 2025-01-01 14:02:11Z` / `ASSISTANT · model · 812 tok · $0.0123 · 1.9 s · ttft 340 ms · …` */
function headerLine({ message: m, siblingIndex, siblingCount }: PathEntry): string {
  const parts: string[] = [m.role.toUpperCase()];
  if (m.role === 'assistant' && m.modelId) parts.push(m.modelId);
  const tokens = (m.promptTokens ?? 0) + (m.completionTokens ?? 0);
  if (m.promptTokens !== null || m.completionTokens !== null) parts.push(`${tokens} tok`);
  if (m.cost) parts.push(`${formatCost(parseUsd(m.cost.usd) ?? ZERO)}${m.cost.source === 'estimate' ? ' (est.)' : ''}`);
  if (m.latencyMs !== null) parts.push(`${(m.latencyMs / 1000).toFixed(1)} s`);
  if (m.ttftMs !== null) parts.push(`ttft ${m.ttftMs} ms`);
  if (m.status !== 'complete') parts.push(m.finishReason ? `${m.status} (${m.finishReason})` : m.status);
  if (siblingCount > 1) parts.push(`branch ${siblingIndex + 1}/${siblingCount}`);
  parts.push(iso(m.createdAt));
  return parts.join(' · ');
}

function sentContent(m: StoredMessage): string {
  if (m.role !== 'user') return m.content;
  const attached = readSentAttachments(m.metadata);
  // Images and PDFs print as name, size and fingerprint; the JSON export keeps their bytes.
  const media = attached.filter((a) => a.media).map(mediaPlaceholder);
  const text = composeUserContent(m.content, attached);
  return media.length ? [...media, text].filter(Boolean).join('\n\n') : text;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace('T', ' ');
}
