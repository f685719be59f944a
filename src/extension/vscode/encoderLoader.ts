/**
 * The tokenizer as the extension runs it: a worker thread (dist/countWorker.js) that loads
 * each encoding from its own bundle next to the host bundle (dist/encoders/*.js) on first
 * use. Building an encoder holds its thread for hundreds of milliseconds, so it never runs
 * on the extension host's; the host posts text and gets counts back.
 */
import path from 'node:path';
import { CountWorkerClient } from '../core/encoders/countClient';

export function tokenizerWorker(distDir: string, onError: (message: string) => void): CountWorkerClient {
  return new CountWorkerClient(
    path.join(distDir, 'countWorker.js'),
    {
      encoders: {
        cl100k_base: path.join(distDir, 'encoders', 'cl100k_base.js'),
        o200k_base: path.join(distDir, 'encoders', 'o200k_base.js'),
      },
    },
    onError,
  );
}
