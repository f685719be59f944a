/**
 * Images and PDFs as attachments: what the bytes are (magic numbers, never the name), the
 * bounds a stored or imported record must keep, the content parts the request carries, the
 * per-image price, and — through the real engine, store and fake OpenRouter — the send, the
 * refusal of a model that cannot read images, and a stored cost equal to the fake's bill.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readSentAttachments, sentAttachmentsJson } from '../../../src/shared/attachments';
import { base64Head, MAX_MEDIA_BASE64, MAX_MEDIA_BYTES, MAX_THUMB_CHARS, readSentMedia, readThumb, sniffMedia } from '../../../src/shared/media';
import { buildMediaAttachment, type Attachment } from '../../../src/extension/core/attachments/attachment';
import { PendingAttachments } from '../../../src/extension/core/attachments/pending';
import { wireMessages } from '../../../src/extension/openrouter/requestOptions';
import { parsePrice, type ModelPricing } from '../../../src/extension/openrouter/pricing';
import { parseUsd, times, toDecimalString } from '../../../src/shared/money';
import { mediaFromBase64, mediaFromBytes } from '../../../src/extension/vscode/attachments/mediaBytes';
import { chatRequests } from '../openrouter/harness';
import { closeAfterEach, chatHarness, started, type ChatHarness } from './chatHarness';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const GIF = Uint8Array.from([...Buffer.from('GIF89a'), 1, 0, 1, 0]);
const WEBP = Uint8Array.from([...Buffer.from('RIFF'), 26, 0, 0, 0, ...Buffer.from('WEBPVP8 ')]);
const PDF = Uint8Array.from(Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n', 'latin1'));

function media(bytes: Uint8Array, mime: string): Record<string, unknown> {
  const data = Buffer.from(bytes).toString('base64');
  return { mime, data, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const pricing: ModelPricing = {
  prompt: parsePrice('0.00000015')!,
  completion: parsePrice('0.0000006')!,
  request: undefined,
  image: parsePrice('0.000217')!,
  webSearch: undefined,
  internalReasoning: undefined,
  inputCacheRead: undefined,
  inputCacheWrite: undefined,
};

function built(label: string, m: Record<string, unknown>, id = label): Attachment {
  const out = buildMediaAttachment({ label, media: m }, { id, pricing });
  if (!out.ok) throw new Error(out.message);
  return out.attachment;
}


type WirePart = { type: string; text?: string; image_url?: { url: string }; file?: { filename: string; file_data: string } };
type WireBody = { messages: Array<{ role: string; content: string | WirePart[] }>; plugins?: unknown[] };

describe('image and PDF attachments', function () {
  this.timeout(90_000);

  describe('what the bytes are', () => {
    it('knows PNG, JPEG, GIF, WebP and PDF by their first bytes', () => {
      assert.equal(sniffMedia(PNG), 'image/png');
      assert.equal(sniffMedia(JPEG), 'image/jpeg');
      assert.equal(sniffMedia(GIF), 'image/gif');
      assert.equal(sniffMedia(WEBP), 'image/webp');
      assert.equal(sniffMedia(PDF), 'application/pdf');
    });

    it('refuses anything else, whatever it claims to be', () => {
      assert.equal(sniffMedia(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined, 'SVG is script, never an image here');
      assert.equal(sniffMedia(Buffer.from('just text named photo.png')), undefined);
      assert.equal(sniffMedia(Uint8Array.from([0x89, 0x50, 0x4e])), undefined, 'a truncated PNG signature');
      assert.equal(sniffMedia(new Uint8Array()), undefined);
      assert.deepEqual([...base64Head(Buffer.from(PNG).toString('base64'))].slice(0, 8), [...PNG.slice(0, 8)]);
    });

    it('checks a record without decoding it: base64, bound, type and fingerprint', () => {
      assert.ok(readSentMedia(media(PNG, 'image/png')));
      assert.equal(readSentMedia(media(PNG, 'image/jpeg')), undefined, 'a PNG claiming to be a JPEG');
      assert.equal(readSentMedia(media(PDF, 'image/png')), undefined);
      assert.equal(readSentMedia({ ...media(PNG, 'image/png'), data: 'iVBORw0KGgo$$$$' }), undefined, 'not base64');
      assert.equal(readSentMedia({ ...media(PNG, 'image/png'), sha256: 'x' }), undefined);
      const huge = `iVBORw0KGgo${'A'.repeat(MAX_MEDIA_BASE64)}`.slice(0, MAX_MEDIA_BASE64 + 4);
      assert.equal(readSentMedia({ ...media(PNG, 'image/png'), data: huge }), undefined, 'over the size bound');
      assert.equal(readSentMedia('iVBOR'), undefined);
      assert.equal(readSentMedia(media(PNG, 'image/png'))?.bytes, PNG.length, 'the size is the bytes, not the base64');
    });
  });

  describe('stored and imported records', () => {
    it('keeps well-formed images and PDFs and drops malformed or smuggled ones', () => {
      const list = [
        { kind: 'image', label: 'shot.png', text: '', language: '', tokens: 0, media: media(PNG, 'image/png') },
        { kind: 'pdf', label: 'paper.pdf', text: '', language: '', tokens: 0, media: media(PDF, 'application/pdf') },
        { kind: 'image', label: 'no-bytes.png', text: '', language: '', tokens: 0 },
        { kind: 'image', label: 'pdf-as-image.png', text: '', language: '', tokens: 0, media: media(PDF, 'application/pdf') },
        { kind: 'pdf', label: 'script.pdf', text: '', language: '', tokens: 0, media: { ...media(PDF, 'application/pdf'), data: 'PHNjcmlwdD4=' } },
      ];
      const read = readSentAttachments({ attachments: list });
      assert.deepEqual(read.map((a) => a.label), ['shot.png', 'paper.pdf']);
      assert.deepEqual(readSentAttachments({ attachments: sentAttachmentsJson(read) }), read, 'what is stored reads back the same');
    });

    it('keeps an image’s thumbnail only when it is a small, well-formed image of the type it names; a bad one is dropped alone', () => {
      const thumb = `data:image/webp;base64,${Buffer.from(WEBP).toString('base64')}`;
      assert.equal(readThumb(thumb), thumb);
      assert.equal(readThumb(`data:image/png;base64,${Buffer.from(PNG).toString('base64')}`)?.startsWith('data:image/png'), true);
      for (const bad of [
        `data:image/png;base64,${Buffer.from(WEBP).toString('base64')}`, // bytes of another type
        `data:image/gif;base64,${Buffer.from(GIF).toString('base64')}`, // not a type a canvas makes
        `data:image/svg+xml;base64,${Buffer.from('<svg onload=alert(1)>').toString('base64')}`,
        `data:image/webp;base64,${Buffer.from(WEBP).toString('base64')}" onerror="x`,
        `data:image/webp;base64,${Buffer.from(WEBP).toString('base64')}${'A'.repeat(MAX_THUMB_CHARS)}`, // over the bound
        `https://example.invalid/x.webp`,
        42,
      ]) assert.equal(readThumb(bad), undefined, String(bad).slice(0, 60));
      const withThumb = { kind: 'image', label: 'shot.png', text: '', language: '', tokens: 0, media: { ...media(PNG, 'image/png'), thumb } };
      const badThumb = { ...withThumb, label: 'bad-thumb.png', media: { ...withThumb.media, thumb: 'data:image/png;base64,PHN2Zz4=' } };
      const pdfThumb = { kind: 'pdf', label: 'paper.pdf', text: '', language: '', tokens: 0, media: { ...media(PDF, 'application/pdf'), thumb } };
      const read = readSentAttachments({ attachments: [withThumb, badThumb, pdfThumb] });
      assert.deepEqual(read.map((a) => [a.label, a.media?.thumb]), [['shot.png', thumb], ['bad-thumb.png', undefined], ['paper.pdf', undefined]]);
      assert.deepEqual(readSentAttachments({ attachments: sentAttachmentsJson(read) }), read, 'the thumbnail is stored and reads back');
    });

    it('gives a pending image the view’s thumbnail, checked, and nothing else', () => {
      const thumb = `data:image/webp;base64,${Buffer.from(WEBP).toString('base64')}`;
      const pending = new PendingAttachments(() => 50_000);
      const built = buildMediaAttachment({ label: 'shot.png', media: media(PNG, 'image/png') }, { id: 'i1', pricing });
      const pdf = buildMediaAttachment({ label: 'paper.pdf', media: media(PDF, 'application/pdf') }, { id: 'p1', pricing });
      assert.ok(built.ok && pdf.ok);
      pending.add(built.attachment);
      pending.add(pdf.attachment);
      assert.equal(pending.setThumb('i1', 'data:image/png;base64,PHN2Zz4='), false, 'malformed');
      assert.equal(pending.setThumb('p1', thumb), false, 'a PDF has none');
      assert.equal(pending.setThumb('gone', thumb), false, 'no such image');
      assert.equal(pending.list()[0]!.media?.thumb, undefined);
      assert.equal(pending.setThumb('i1', thumb), true);
      assert.equal(pending.list()[0]!.media?.thumb, thumb);
      const resolved = pending.resolve(['i1']);
      assert.equal(resolved.ok ? resolved.attachments[0]?.media?.thumb : undefined, thumb, 'the send stores it');
    });

    it('bounds the images of one message together', () => {
      const big = new Uint8Array(MAX_MEDIA_BYTES);
      big.set(PNG);
      const one = { kind: 'image', label: 'big.png', text: '', language: '', tokens: 0, media: media(big, 'image/png') };
      const read = readSentAttachments({ attachments: [one, one, one] });
      assert.equal(read.length, 2, 'a third 5 MB image passes the 10 MB total and is dropped');
    });
  });

  describe('pasted and picked bytes (host side)', () => {
    it('decides the type from the bytes, hashes them, and names what is wrong', () => {
      const out = mediaFromBytes('shot.txt', PNG);
      assert.ok(out?.ok);
      if (!out?.ok) return;
      assert.equal(out.media.mime, 'image/png', 'the name said .txt; the bytes say PNG');
      assert.equal(out.media.sha256, createHash('sha256').update(PNG).digest('hex'));
      assert.equal(out.label, 'shot.txt');
      const svg = mediaFromBase64('x.png', Buffer.from('<svg onload=alert(1)>').toString('base64'));
      assert.match(svg?.ok === false ? svg.message : '', /x\.png is not a PNG, JPEG, WebP or GIF image or a PDF/);
      assert.match((mediaFromBase64('big.png', '', 6 * 1024 * 1024) as { message: string }).message, /big\.png is 6\.0 MB; an image or PDF may be at most 5\.0 MB/);
      assert.equal(mediaFromBase64('a.png', 'iVBOR$$$')?.ok, false, 'not base64: refused before decoding');
      assert.equal(mediaFromBase64('a.png', 'A'.repeat(MAX_MEDIA_BASE64 + 4))?.ok, false, 'over the bound: refused before decoding');
      assert.equal(mediaFromBytes('../../etc/passwd\nx.png', PNG)?.ok && (mediaFromBytes('../../etc/passwd\nx.png', PNG) as { label: string }).label, '.. .. etc passwd x.png');
    });
  });

  describe('building and pricing', () => {
    it('prices an image at the catalog per-image price, exactly; a PDF has no estimate', () => {
      const image = built('shot.png', media(PNG, 'image/png'));
      assert.equal(image.kind, 'image');
      assert.equal(image.cost, '0.000217');
      assert.equal(image.tokens, 0);
      const pdf = built('paper.pdf', media(PDF, 'application/pdf'));
      assert.equal(pdf.kind, 'pdf');
      assert.equal(pdf.cost, undefined);
      const pending = new PendingAttachments(() => 50_000);
      assert.ok(pending.add(image).ok);
      const other = { ...pricing, image: parsePrice('0.0048')! };
      assert.equal(pending.priced(other)[0]?.cost, '0.0048', 'the chip follows the model picker');
    });

    it('refuses bytes that are not an accepted type, with a message saying why', () => {
      const out = buildMediaAttachment({ label: 'evil.png', media: media(Buffer.from('<svg/>'), 'image/png') }, { id: '1', pricing });
      assert.equal(out.ok, false);
      assert.match(!out.ok ? out.message : '', /evil\.png is not a PNG, JPEG, WebP or GIF image or a PDF of at most 5\.0 MB/);
    });
  });

  describe('content parts', () => {
    it('sends the text first, then each image as image_url and each PDF as file, with the cache mark on the text', () => {
      const png = readSentMedia(media(PNG, 'image/png'))!;
      const pdf = readSentMedia(media(PDF, 'application/pdf'))!;
      const wire = wireMessages(
        [
          { role: 'user', content: 'What is in these?', media: [{ ...png, filename: 'shot.png' }, { ...pdf, filename: 'paper.pdf' }] },
          { role: 'assistant', content: 'ok' },
        ],
        'explicit-last',
      );
      assert.deepEqual(wire[0], {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?', cache_control: { type: 'ephemeral' } },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${png.data}` } },
          { type: 'file', file: { filename: 'paper.pdf', file_data: `data:application/pdf;base64,${pdf.data}` } },
        ],
      });
      assert.deepEqual(wire[1], { role: 'assistant', content: 'ok' });
      const alone = wireMessages([{ role: 'user', content: '', media: [{ ...png, filename: 'a.png' }] }], undefined);
      assert.deepEqual(alone[0]?.content, [{ type: 'image_url', image_url: { url: `data:image/png;base64,${png.data}` } }], 'no empty text part');
    });
  });

  describe('sending', () => {
    let h: ChatHarness;
    afterEach(closeAfterEach(() => h));

    it('sends an image to a vision model, stores it, bills it per image, and regenerates with it', async () => {
      h = await chatHarness();
      const image = built('shot.png', media(PNG, 'image/png'));
      const out = started(await h.engine.send({ text: 'What is this?', attachments: [image], model: 'openai/gpt-4o-mini' }));
      const reply = await out.done;
      const body = chatRequests(h.fake).at(-1)?.body as WireBody;
      const user = body.messages.at(-1)!;
      assert.deepEqual(user.content, [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(PNG).toString('base64')}` } },
      ]);
      const stored = await h.store.getMessage(out.userMessageId!);
      assert.equal(stored.content, 'What is this?');
      assert.equal(readSentAttachments(stored.metadata)[0]?.media?.data, Buffer.from(PNG).toString('base64'), 'the bytes are kept as sent');

      // The fake bills the image at the catalog's per-image price; the stored cost is that bill, exactly.
      const generation = h.fake.generations().find((g) => g.id === reply.generationId);
      assert.ok(generation, 'the fake recorded the generation');
      assert.ok(reply.cost, 'the reply has a cost');
      assert.equal(reply.cost.usd, toDecimalString(parseUsd(String(generation.total_cost))!));
      const promptTokens = reply.promptTokens ?? 0;
      const completion = reply.completionTokens ?? 0;
      const expected = times(parseUsd('0.00000015')!, promptTokens).atto + times(parseUsd('0.0000006')!, completion).atto + parseUsd('0.000217')!.atto;
      assert.equal(parseUsd(reply.cost.usd)!.atto, expected, 'prompt + completion + one image at 0.000217');

      const again = started(await h.engine.regenerate(out.assistantMessageId));
      await again.done;
      const resent = chatRequests(h.fake).at(-1)?.body as WireBody;
      assert.deepEqual(resent.messages.at(-1)?.content, user.content, 'a regenerated reply sees the same image');

      const markdown = await h.store.exportMarkdown(out.conversationId);
      const sha = createHash('sha256').update(PNG).digest('hex');
      assert.ok(markdown.includes(`[@image shot.png · image/png · ${PNG.length} bytes · sha256 ${sha}]`), 'the Markdown export names the image');
      assert.ok(!markdown.includes(Buffer.from(PNG).toString('base64')), 'and never prints its bytes');
    });

    it('refuses an image for a model that cannot read images, naming models that can, and sends nothing', async () => {
      h = await chatHarness();
      const image = built('shot.png', media(PNG, 'image/png'));
      const before = chatRequests(h.fake).length;
      const refused = await h.engine.send({ text: 'What is this?', attachments: [image], model: 'deepseek/deepseek-r1' });
      assert.equal(refused.status, 'refused');
      if (refused.status !== 'refused') return;
      assert.equal(refused.reason, 'unsupported_input');
      assert.match(refused.message, /^deepseek\/deepseek-r1 cannot read images/);
      assert.match(refused.message, /Models that can: .*openai\/gpt-4o-mini/);
      assert.equal(chatRequests(h.fake).length, before, 'nothing was sent');
      assert.equal((await h.store.listConversations()).total, 0, 'nothing was stored');
    });

    it('counts the images in the budget check', async () => {
      // 0.0048 per image on Claude: the text alone fits the budget, three images do not.
      h = await chatHarness({ limits: { session: parseUsd('0.01')! }, settings: { maxTokens: 10 } });
      const claude = { ...pricing, image: parsePrice('0.0048')! };
      const images = ['a', 'b', 'c'].map((n) => {
        const o = buildMediaAttachment({ label: `${n}.png`, media: media(PNG, 'image/png') }, { id: n, pricing: claude });
        if (!o.ok) throw new Error(o.message);
        return o.attachment;
      });
      const refused = await h.engine.send({ text: 'Compare these', attachments: images, model: 'anthropic/claude-sonnet-4' });
      assert.equal(refused.status, 'refused');
      assert.ok(refused.status === 'refused' && /^budget/.test(refused.reason), 'refused over the budget');
      const plain = await h.engine.send({ text: 'Compare these', model: 'anthropic/claude-sonnet-4' });
      assert.equal(plain.status, 'started', 'the same words without the images fit');
      if (plain.status === 'started') await plain.done;
    });

    it('sends a PDF to a model without native file input with the free parser asked for', async () => {
      h = await chatHarness();
      const pdf = built('paper.pdf', media(PDF, 'application/pdf'));
      const out = started(await h.engine.send({ text: 'Summarise', attachments: [pdf], model: 'deepseek/deepseek-r1' }));
      await out.done;
      const body = chatRequests(h.fake).at(-1)?.body as WireBody;
      const parts = body.messages.at(-1)!.content as WirePart[];
      assert.deepEqual(parts[1], { type: 'file', file: { filename: 'paper.pdf', file_data: `data:application/pdf;base64,${Buffer.from(PDF).toString('base64')}` } });
      assert.deepEqual(body.plugins, [{ id: 'file-parser', pdf: { engine: 'cloudflare-ai' } }]);
    });
  });
});
