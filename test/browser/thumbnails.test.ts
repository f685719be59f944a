/**
 * Image thumbnails, made by the view under the production CSP: a pasted image goes to the host
 * whole, with a small thumbnail beside it (the right size, the picture's colours where they
 * were); an image the host attached itself (`attach/thumbWanted`) is answered with its
 * thumbnail; a file that is no image gets none; and the full image never becomes part of the
 * DOM — only the thumbnail is shown.
 */
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { MAX_THUMB_CHARS } from '../../src/shared/media';
import { splitPng } from '../fixtures/png';
import { pagePerTest, type WebviewPage } from './harness';
import { snapshot } from './fixtures';

interface Decoded {
  width: number;
  height: number;
  /** [r, g, b] at a quarter and three quarters of the width, half way down. */
  left: number[];
  right: number[];
}

describe('image thumbnails', function () {
  let p: WebviewPage;
  pagePerTest((page) => (p = page));

  const box = (): Locator => p.page.getByRole('textbox', { name: 'Message' });

  /** Decodes a thumbnail in the page and samples it. */
  function decode(url: string): Promise<Decoded> {
    return p.page.evaluate(async (u) => {
      const b64 = u.slice(u.indexOf(',') + 1);
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: u.slice(5, u.indexOf(';')) }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const at = (x: number) => [...ctx.getImageData(Math.floor(x), Math.floor(bitmap.height / 2), 1, 1).data.slice(0, 3)];
      return { width: bitmap.width, height: bitmap.height, left: at(bitmap.width / 4), right: at((bitmap.width * 3) / 4) };
    }, url);
  }

  /** The longest attribute value anywhere in the page, shadow roots included. */
  function longestAttribute(): Promise<number> {
    return p.page.evaluate(() => {
      let longest = 0;
      const roots: (Document | ShadowRoot)[] = [document];
      for (let i = 0; i < roots.length; i++) {
        for (const el of roots[i]!.querySelectorAll('*')) {
          if (el.shadowRoot) roots.push(el.shadowRoot);
          for (const a of el.attributes) longest = Math.max(longest, a.value.length);
        }
      }
      return longest;
    });
  }

  function paste(name: string, type: string, b64: string): Promise<void> {
    return box().evaluate(
      (area, [n, t, data]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([Uint8Array.from(atob(data!), (c) => c.charCodeAt(0))], n!, { type: t! }));
        area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true, composed: true }));
      },
      [name, type, b64],
    );
  }

  it('sends a pasted image whole, with a small thumbnail of it; the DOM only ever holds the thumbnail', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    const png = splitPng(1200, 800);
    await paste('photo.png', 'image/png', png.toString('base64'));
    const sent = (await p.waitForPosted((m) => m.type === 'attach/media')) as unknown as { data: string; thumb?: string };
    assert.equal(sent.data, png.toString('base64'), 'the image itself goes to the host unchanged');
    assert.ok(sent.thumb, 'with a thumbnail');
    assert.match(sent.thumb, /^data:image\/(webp|png|jpeg);base64,/);
    assert.ok(sent.thumb.length <= MAX_THUMB_CHARS, `bounded: ${sent.thumb.length} chars`);
    assert.ok(sent.thumb.length * 20 < sent.data.length, `far smaller than the image: ${sent.thumb.length} vs ${sent.data.length}`);
    const d = await decode(sent.thumb);
    assert.deepEqual([d.width, d.height], [240, 160], 'short side 160 px, the aspect kept');
    assert.ok(d.left[0]! > 150 && d.left[2]! < 90, `red on the left: ${d.left}`);
    assert.ok(d.right[2]! > 150 && d.right[0]! < 90, `blue on the right: ${d.right}`);

    // The chip the host answers with shows the thumbnail; nothing in the DOM is anywhere near the image's size.
    await p.post({ type: 'attach/list', items: [{ id: 'i1', kind: 'image', label: 'photo.png', tokens: 0, cost: '0.000217', thumb: sent.thumb }], limit: 50_000 });
    const img = p.page.locator('nt-composer nt-attachment-chips li img.thumb');
    assert.equal(await img.getAttribute('src'), sent.thumb);
    await img.evaluate((el: HTMLImageElement) => el.decode());
    assert.ok((await longestAttribute()) <= MAX_THUMB_CHARS, 'no attribute holds the image');
  });

  it('answers the host’s request for a thumbnail of an image it attached itself', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    const tall = splitPng(300, 900, 3);
    await p.post({ type: 'attach/thumbWanted', id: 'i7', mime: 'image/png', data: tall.toString('base64') });
    const answer = (await p.waitForPosted((m) => m.type === 'attach/thumb')) as unknown as { id: string; thumb: string };
    assert.equal(answer.id, 'i7');
    assert.ok(answer.thumb.length <= MAX_THUMB_CHARS);
    const d = await decode(answer.thumb);
    assert.deepEqual([d.width, d.height], [160, 480]);
    assert.ok((await longestAttribute()) < 1000, 'the image was decoded off the DOM');
  });

  it('makes no thumbnail of what is not an image (the host still decides what the bytes are)', async () => {
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    await paste('paper.pdf', 'application/pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n', 'latin1').toString('base64'));
    const sent = (await p.waitForPosted((m) => m.type === 'attach/media')) as unknown as { name: string; thumb?: string };
    assert.equal(sent.name, 'paper.pdf');
    assert.equal(sent.thumb, undefined);
  });
});
