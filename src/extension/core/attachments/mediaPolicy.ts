/**
 * What images and PDFs ask of a model: an image needs a model whose catalog entry lists
 * `image` among its input modalities (a send to any other is refused, naming models that
 * can); a PDF goes to every model — OpenRouter reads it natively where the catalog lists
 * `file`, and otherwise parses it, with the free engine asked for explicitly. Images are
 * priced per image at the catalog's `pricing.image`, exactly. No `vscode` import.
 */
import { times, ZERO, type Usd } from '../../../shared/money';
import type { CatalogModel } from '../../openrouter/catalog';
import type { ChatMessage } from '../../openrouter/types';
import type { ModelPricing } from '../../openrouter/pricing';
import type { ChatTurn } from '../contextWindow';

const isImage = (mime: string) => mime.startsWith('image/');

/** Images the turns carry, in all. */
export function imageCount(turns: readonly Pick<ChatTurn, 'media'>[]): number {
  return turns.reduce((n, t) => n + (t.media?.filter((m) => isImage(m.mime)).length ?? 0), 0);
}

/** The images' price on a model; undefined when it varies, zero when the catalog gives none. */
export function imagesCost(pricing: Pick<ModelPricing, 'image'>, images: number): Usd | undefined {
  if (images === 0 || !pricing.image) return ZERO;
  if (pricing.image.kind === 'variable') return undefined;
  return times(pricing.image.perUnit, images);
}

/** The file-parser engine a request asks for: only when it carries a PDF the model cannot read natively. */
export function pdfParserFor(messages: readonly ChatMessage[], model: CatalogModel | undefined): 'cloudflare-ai' | undefined {
  const hasPdf = messages.some((m) => m.media?.some((x) => !isImage(x.mime)));
  return hasPdf && !model?.inputModalities.includes('file') ? 'cloudflare-ai' : undefined;
}

/**
 * Why these models cannot take the turns' images, naming a few catalog models that can;
 * undefined when they all can (a model the catalog does not know is given the benefit of
 * the doubt: OpenRouter itself will say if it cannot).
 */
export function imageRefusal(
  modelIds: readonly string[],
  turns: readonly Pick<ChatTurn, 'media'>[],
  lookup: (id: string) => CatalogModel | undefined,
  catalog: readonly CatalogModel[],
): string | undefined {
  const images = imageCount(turns);
  if (images === 0) return undefined;
  const blind = modelIds.filter((id) => {
    const m = lookup(id);
    return m !== undefined && !m.inputModalities.includes('image');
  });
  if (blind.length === 0) return undefined;
  const able = catalog.filter((m) => m.inputModalities.includes('image')).map((m) => m.id);
  const offer = able.length
    ? ` Models that can: ${able.slice(0, 5).join(', ')}${able.length > 5 ? ` and ${able.length - 5} more` : ''}.`
    : ' No model in the list can.';
  const what = images === 1 ? 'an image' : `${images} images`;
  return `${blind.join(', ')} cannot read images, and this conversation carries ${what}.${offer} Pick one in the model picker, or remove the image; nothing was sent and your attachments are kept.`;
}
