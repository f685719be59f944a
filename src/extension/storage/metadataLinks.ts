/**
 * Ids a message's metadata holds of other messages and conversations — a comparison's
 * replies and winner, the comparison a reply belongs to, the turn and branch a replay
 * replays — given new ids on import, as the rows themselves are; otherwise an imported
 * comparison would name replies that are not there. Anything unrecognised is kept as is.
 * No `vscode` import.
 */
import { comparisonMetadata, readComparison } from '../../shared/comparison';
import type { JsonObject } from './types';

export function remapMetadataLinks(metadata: JsonObject, mapped: (id: string) => string): JsonObject {
  let out = metadata;
  const record = readComparison(metadata);
  if (record) {
    out = { ...out, ...comparisonMetadata({ ...record, replies: record.replies.map(mapped), winner: record.winner === null ? null : mapped(record.winner) }) };
  }
  for (const key of ['comparisonOf', 'replayOf'] as const) {
    const id = out[key];
    if (typeof id === 'string') out = { ...out, [key]: mapped(id) };
  }
  const replay = out['replay'];
  if (typeof replay === 'object' && replay !== null && !Array.isArray(replay) && typeof replay['of'] === 'string') {
    out = { ...out, replay: { ...replay, of: mapped(replay['of']) } };
  }
  return out;
}
