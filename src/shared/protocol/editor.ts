/** Things the view asks the editor to do with model output: copy, insert, open a link. */
import * as z from 'zod/mini';
import { request, Text } from './common';

export const editorRequests = [
  request('editor/codeAction', {
    action: z.enum(['copy', 'insert', 'newFile']),
    code: Text,
    language: z.optional(z.string().check(z.maxLength(40))),
  }),
  request('editor/copyText', { text: Text }),
  /** A link in model output: the host confirms with the user before opening it (and shows over-long ones as text). */
  request('editor/openLink', { url: Text }),
] as const;
