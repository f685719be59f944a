// Bounded file scan used by the editor stage of `npm test` to look for a leaked API key on disk.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files under dir (bounded in count and size) that contain needle. */
export function filesContaining(dir, needle, limit = 20_000) {
  const hits = [];
  const buf = Buffer.from(needle);
  let seen = 0;
  const walk = (d) => {
    let ents;
    try { ents = readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of ents) {
      if (++seen > limit) return;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        try {
          if (statSync(p).size > 64 * 1024 * 1024) continue;
          if (readFileSync(p).includes(buf)) hits.push(p);
        } catch { /* vanished */ }
      }
    }
  };
  walk(dir);
  return hits;
}
