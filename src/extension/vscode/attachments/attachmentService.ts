/**
 * The composer's attachments on the host side: runs a source (`@file`, `@folder`, …), counts
 * and prices what it returns for the model in use, keeps it in the bounded pending list
 * (core/attachments/pending.ts) and tells the view. A send names the chips it carries by id;
 * their text never comes from the view.
 */
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { SentAttachment, SourceKind } from '../../../shared/attachments';
import { buildAttachment, buildMediaAttachment, type Attachment, type AttachmentDraft } from '../../core/attachments/attachment';
import { isImageMime, type ImageMime } from '../../../shared/media';
import { mediaFromBase64, type MediaOutcome } from './mediaBytes';
import { pickMediaFile } from './mediaSource';
import { PendingAttachments } from '../../core/attachments/pending';
import type { ModelPricing } from '../../openrouter/pricing';
import type { TokenCounterPort } from '../../core/ports';
import { fileSource } from './fileSource';
import { folderSource } from './folderSource';
import { gitSource } from './gitSource';
import { problemsSource } from './problemsSource';
import { selectionSource } from './selectionSource';
import type { SourceContext, SourceOutcome } from './source';
import type { TerminalRecorder } from './terminalSource';

/** What a chip shows: no text, only what it is and what it costs. */
export type AttachmentChip = Pick<Attachment, 'id' | 'kind' | 'label' | 'tokens' | 'cost' | 'note'> & { thumb?: string };

export interface AttachmentServiceDeps {
  maxTokens(): number;
  /** The model the next send goes to, and its prices (undefined while the catalog loads). */
  model(): Promise<{ id: string; pricing: ModelPricing | undefined }>;
  tokens(): Promise<TokenCounterPort>;
  recorder: TerminalRecorder;
  /** The list changed: the view is sent the chips again. */
  changed(): void;
  /** An image without a thumbnail: its bytes go to the view once, which answers `attach/thumb`. */
  wantThumb(id: string, mime: ImageMime, data: string): void;
}

export type AttachOutcome = { ok: true; chip?: AttachmentChip; shown?: string } | { ok: false; message: string };

export class AttachmentService {
  private readonly pending: PendingAttachments;

  constructor(private readonly deps: AttachmentServiceDeps) {
    this.pending = new PendingAttachments(() => deps.maxTokens());
  }

  /** Runs a source's picker and attaches what it gives; undefined chip when the user dismissed it. */
  async pick(kind: SourceKind): Promise<AttachOutcome> {
    if (kind === 'image') return this.addMedia(await pickMediaFile().catch((error: unknown) => ({ ok: false as const, message: `Could not attach the file: ${error instanceof Error ? error.message : String(error)}` })));
    const ctx = await this.context();
    let outcome: SourceOutcome;
    try {
      outcome = await this.run(kind, ctx);
    } catch (error) {
      return { ok: false, message: `Could not attach @${kind}: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!outcome) return { ok: true };
    if (!outcome.ok) return outcome;
    const added = await this.add(outcome.draft);
    return added.ok && outcome.shown ? { ...added, shown: outcome.shown } : added;
  }

  /** Attaches a draft the host made itself (Send Selection). */
  async add(draft: AttachmentDraft): Promise<AttachOutcome> {
    const { id: modelId, pricing } = await this.deps.model();
    const attachment = await buildAttachment(draft, { id: randomUUID(), modelId, pricing, tokens: await this.deps.tokens() });
    const added = this.pending.add(attachment);
    if (!added.ok) return added;
    this.deps.changed();
    return { ok: true, chip: chipOf(attachment) };
  }

  /**
   * A pasted or dropped image or PDF (base64 from the view, checked here before and after
   * decoding), with the thumbnail the view made of it (checked too; dropped when malformed).
   */
  pasted(name: string, data: string, size?: number, thumb?: string): Promise<AttachOutcome> {
    return this.addMedia(mediaFromBase64(name, data, size), thumb);
  }

  private async addMedia(outcome: MediaOutcome, thumb?: string): Promise<AttachOutcome> {
    if (!outcome) return { ok: true };
    if (!outcome.ok) return outcome;
    const media = thumb ? { ...outcome.media, thumb } : outcome.media;
    const built = buildMediaAttachment({ label: outcome.label, media }, { id: randomUUID(), pricing: (await this.deps.model()).pricing });
    if (!built.ok) return built;
    const added = this.pending.add(built.attachment);
    if (!added.ok) return added;
    this.deps.changed();
    const m = built.attachment.media;
    if (m && !m.thumb && isImageMime(m.mime)) this.deps.wantThumb(built.attachment.id, m.mime, m.data);
    return { ok: true, chip: chipOf(built.attachment) };
  }

  /** The view's thumbnail of a pending image; false when there is no such image or the thumbnail is malformed. */
  setThumb(id: string, thumb: string): boolean {
    const set = this.pending.setThumb(id, thumb);
    if (set) this.deps.changed();
    return set;
  }

  remove(id: string): boolean {
    const removed = this.pending.remove(id);
    if (removed) this.deps.changed();
    return removed;
  }

  /** The chips priced for the model in use. */
  async chips(): Promise<AttachmentChip[]> {
    return this.pending.priced((await this.deps.model()).pricing).map(chipOf);
  }

  /** Tokens the pending attachments add to the next send. */
  get totalTokens(): number {
    return this.pending.totalTokens;
  }

  /** The attachments a send names, in its order; a message when one is gone. */
  resolve(ids: readonly string[]): { ok: true; attachments: SentAttachment[] } | { ok: false; message: string } {
    return this.pending.resolve(ids);
  }

  /** A send carrying these has started: their chips leave the composer. */
  sent(ids: readonly string[]): void {
    let any = false;
    for (const id of ids) any = this.pending.remove(id) || any;
    if (any) this.deps.changed();
  }

  private async context(): Promise<SourceContext> {
    const { id } = await this.deps.model();
    const tokens = await this.deps.tokens();
    // The picker opens next: the user's choosing time builds the tokenizer (in its worker).
    tokens.warm?.(id);
    return {
      maxTokens: this.deps.maxTokens(),
      remainingTokens: this.pending.remainingTokens,
      count: (text) => tokens.countMessage(id, text).then((n) => Math.max(0, n - 4)),
    };
  }

  private run(kind: SourceKind, ctx: SourceContext): Promise<SourceOutcome> | SourceOutcome {
    switch (kind) {
      case 'file':
        return fileSource(ctx);
      case 'folder':
        return folderSource(ctx);
      case 'selection':
        return selectionSource();
      case 'problems':
        return problemsSource();
      case 'git':
        return gitSource();
      case 'terminal':
        return this.deps.recorder.source();
      case 'image':
        return { ok: false, message: 'Images are attached through their own picker.' };
    }
  }
}

function chipOf(a: Attachment): AttachmentChip {
  return {
    id: a.id,
    kind: a.kind,
    label: a.label,
    tokens: a.tokens,
    ...(a.cost !== undefined ? { cost: a.cost } : {}),
    ...(a.note ? { note: a.note } : {}),
    // An image's small thumbnail, once the view has made it (never the image itself); a PDF has none.
    ...(a.media?.thumb ? { thumb: a.media.thumb } : {}),
  };
}

/** Shows a source's message (why nothing was attached, or what a folder included). */
export function showAttachMessage(message: string, isError: boolean): void {
  void (isError ? vscode.window.showWarningMessage(`Neural Terminal: ${message}`) : vscode.window.showInformationMessage(`Neural Terminal: ${message}`));
}
