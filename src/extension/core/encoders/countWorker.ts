/**
 * Entry point of the tokenizer worker (a worker_threads thread; bundled as
 * dist/countWorker.js). Building an encoder turns its rank table into maps of ~100k–200k
 * entries: measured at 0.4–1.8 s of CPU, plus the garbage collector's work promoting them —
 * far past the 20 ms the host may be held. So the encoders are built and used here, and the
 * host only posts text and receives counts. Requests are handled one at a time in arrival
 * order, each answered exactly once. No `vscode` import.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { countWith, type Encoder, type EncodingName } from '../tokenCounter';
import { countRequestSchema, countWorkerDataSchema, type CountReply } from './countProtocol';

const port = parentPort;
if (!port) throw new Error('countWorker must run as a worker thread');
const { encoders: files } = countWorkerDataSchema.parse(workerData);
const post = (reply: CountReply): void => port.postMessage(reply);

interface EncoderModule {
  createEncoder(): Encoder;
}

const encoders = new Map<EncodingName, Encoder>();

function encoderFor(name: EncodingName): Encoder {
  let encoder = encoders.get(name);
  if (!encoder) {
    const file = files[name];
    if (!file) throw new Error(`no tokenizer for ${name}`);
    // A runtime require of a computed path: each rank table stays in its own bundle, read only when needed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    encoder = (require(file) as EncoderModule).createEncoder();
    encoders.set(name, encoder);
  }
  return encoder;
}

port.on('message', (raw: unknown) => {
  const parsed = countRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null && 'id' in raw && Number.isInteger(raw.id) ? (raw.id as number) : -1;
    post({ id, ok: false, message: `malformed tokenizer request: ${parsed.error.message}` });
    return;
  }
  const request = parsed.data;
  try {
    const encoder = encoderFor(request.encoding);
    post({ id: request.id, ok: true, tokens: request.op === 'count' ? countWith(encoder, request.text) : 0 });
  } catch (error) {
    post({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
