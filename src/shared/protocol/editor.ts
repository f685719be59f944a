/** Things the view asks the editor to do: copy, insert or open model output, open a link, open a sent selection's lines. */
import * as z from 'zod/mini';
import { Id, request, Text } from './common';

export const editorRequests = [
  request('editor/codeAction', {
    action: z.enum(['copy', 'insert', 'newFile']),
    code: Text,
    language: z.optional(z.string().check(z.maxLength(40))),
  }),
  request('editor/copyText', { text: Text }),
  /** A link in model output: the host confirms with the user before opening it (and shows over-long ones as text). */
  request('editor/openLink', { url: Text }),
  /**
   * Open the file a user message sent code from, at those lines. The host opens only a
   * location that message really carried, inside the workspace; the reply says why not.
   */
  request('editor/openLocation', {
    messageId: Id,
    path: z.string().check(z.minLength(1), z.maxLength(1000)),
    startLine: z.int().check(z.positive()),
    endLine: z.int().check(z.positive()),
  }),
] as const;
