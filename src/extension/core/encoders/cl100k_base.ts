/**
 * Built as its own bundle (dist/encoders/cl100k_base.js) and required only when the first
 * exact token count for a model of this encoding is needed: its rank table is
 * megabytes that activation must not parse.
 */
import { Tiktoken } from 'js-tiktoken/lite';
import ranks from 'js-tiktoken/ranks/cl100k_base';
import type { Encoder } from '../tokenCounter';

export function createEncoder(): Encoder {
  return new Tiktoken(ranks);
}
