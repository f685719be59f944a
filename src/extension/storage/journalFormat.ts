/**
 * The journal's bytes: a sequence of frames, each `[u32 length][u32 crc32]
 * [payload]` (little-endian), the payload UTF-8 JSON. The first frame is the
 * header (format, version, generation); every later one is a record. A frame
 * whose length runs past the end of the file, or whose checksum does not
 * match, is where the readable journal ends: a writer killed mid-append
 * leaves exactly such a tail, and nothing before it is affected.
 * No `vscode` import.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

export const JOURNAL_FORMAT = 'neural-terminal.journal';
export const JOURNAL_VERSION = 1;
const FRAME_HEAD = 8;
/** A record larger than this is not one we wrote (bulk changes become snapshots instead). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export const journalHeaderSchema = z.object({
  format: z.literal(JOURNAL_FORMAT),
  version: z.number().int().positive(),
  /** The snapshot generation these records apply on top of. */
  generation: z.number().int().nonnegative(),
});
export type JournalHeader = z.infer<typeof journalHeaderSchema>;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)) >>> 0;
  return (crc ^ 0xffffffff) >>> 0;
}

export function encodeFrame(payload: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEAD + body.length);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32(body), 4);
  body.copy(frame, FRAME_HEAD);
  return frame;
}

export interface DecodedFrame {
  readonly payload: unknown;
  /** Offset just past this frame. */
  readonly end: number;
}

export interface DecodeResult {
  readonly frames: DecodedFrame[];
  /** Offset just past the last good frame. */
  readonly end: number;
  /** Bytes after `end` that do not form a good frame (a torn or damaged tail). */
  readonly badTail: boolean;
}

/** Decodes frames of `bytes`, which start at file offset `base`. */
export function decodeFrames(bytes: Uint8Array, base = 0): DecodeResult {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: DecodedFrame[] = [];
  let at = 0;
  while (at + FRAME_HEAD <= buffer.length) {
    const length = buffer.readUInt32LE(at);
    const sum = buffer.readUInt32LE(at + 4);
    if (length > MAX_FRAME_BYTES || at + FRAME_HEAD + length > buffer.length) break;
    const body = buffer.subarray(at + FRAME_HEAD, at + FRAME_HEAD + length);
    if (crc32(body) !== sum) break;
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      break;
    }
    at += FRAME_HEAD + length;
    frames.push({ payload, end: base + at });
  }
  return { frames, end: base + at, badTail: at < buffer.length };
}
