/**
 * "Render anyway": formats a block that was held back as text because of its size or cost. The
 * reader asked for it, so it runs without the cost budget (it may take a while); if marked still
 * fails, the text stays.
 */
import type { Links } from 'marked';
import { renderBlocks, fallbackNode } from './blocks';
import { lexRegion } from './lexing';

export function renderAnyway(raw: string, links: Links): ChildNode[] {
  try {
    const region = lexRegion(raw, { budget: false });
    const failed = region.inline(0, region.blocks.length, links);
    return renderBlocks(
      region.blocks.map((b, i) => (failed.has(i) ? { kind: 'text', raw: b.token.raw, reason: 'failed' } : { kind: 'token', token: b.token, raw: b.token.raw })),
    ).flat();
  } catch {
    return [fallbackNode(raw, 'failed')];
  }
}
