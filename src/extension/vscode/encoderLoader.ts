/**
 * Loads a tokenizer encoder from its own bundle next to the host bundle, on first use.
 * A runtime `require` of a computed path keeps esbuild from inlining megabytes of rank
 * tables into dist/extension.js.
 */
import path from 'node:path';
import type { Encoder, EncoderLoader, EncodingName } from '../core/tokenCounter';

interface EncoderModule {
  createEncoder(): Encoder;
}

export function bundledEncoderLoader(distDir: string): EncoderLoader {
  return async (name: EncodingName) => {
    const file = path.join(distDir, 'encoders', `${name}.js`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as EncoderModule;
    return mod.createEncoder();
  };
}
