/**
 * The one gate between model output and the DOM. Model text is hostile input: it may carry
 * scripts, handlers, frames, forms, styles or links to `javascript:`/`command:`/`data:`.
 * Everything not on the allow-lists below is removed; what is left cannot run code, load
 * anything, restyle the view or navigate it (links are opened by the host after a prompt).
 */
import DOMPurify, { type Config } from 'dompurify';

/** Only these elements survive (no img: remote images would also break the CSP). */
const ALLOWED_TAGS = [
  'a', 'b', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i',
  'kbd', 'li', 'ol', 'p', 'pre', 's', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'th', 'thead',
  'tr', 'ul',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'align', 'colspan', 'rowspan'];
/** http(s) and mailto only: relative, javascript:, command:, data:, vbscript: … are dropped. */
const SAFE_URL = /^(?:https?:|mailto:)/i;
/** `class` is kept only as a code block's language (never our own UI classes). */
const LANGUAGE_CLASS = /^language-[\w+#.-]{1,30}$/;

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOWED_URI_REGEXP: SAFE_URL,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  FORBID_TAGS: ['script', 'style', 'iframe', 'frame', 'form', 'object', 'embed', 'svg', 'math', 'img', 'input', 'button', 'link', 'meta', 'base', 'template'],
  FORBID_ATTR: ['style', 'srcdoc', 'formaction', 'xlink:href', 'action'],
  RETURN_DOM_FRAGMENT: true,
};

// A private instance: hooks must not leak into any other user of DOMPurify. The config is set
// once: passing it to every sanitize() call rebuilds its allow-lists each time.
const purify = DOMPurify(window);
purify.setConfig(CONFIG);

purify.addHook('uponSanitizeAttribute', (node, data) => {
  if (data.attrName === 'class' && !(node.nodeName === 'CODE' && LANGUAGE_CLASS.test(data.attrValue))) {
    data.keepAttr = false;
  }
});

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  const href = node.getAttribute('href');
  if (href !== null && !SAFE_URL.test(href)) node.removeAttribute('href');
  node.removeAttribute('target');
  if (node.hasAttribute('href')) node.setAttribute('rel', 'noopener noreferrer');
});

/**
 * Tags marked writes without attributes (prose, lists, quotes, headings, the block separator):
 * every one on the allow-list above, with nothing the hooks act on.
 */
const PLAIN_TAG = /<\/?(?:p|em|strong|code|del|br|hr|h[1-6]|ul|ol|li|blockquote|b)>/g;

/**
 * True when `html` is only the plain tags above around escaped text: no attribute, comment or
 * other tag anywhere (any other `<` fails). Such markup is what the sanitizer would keep as is.
 */
export function onlyPlainTags(html: string): boolean {
  return !html.replace(PLAIN_TAG, '').includes('<');
}

/**
 * Sanitizes rendered markdown HTML into an inert fragment. Markup of plain tags only (most
 * streamed updates: prose) is parsed in an inert `<template>` without the sanitizer, which
 * would keep it unchanged at ~5× the cost (its tree walk, not the parse, is most of it).
 */
export function sanitizeToFragment(html: string): DocumentFragment {
  if (onlyPlainTags(html)) {
    const template = document.createElement('template');
    template.innerHTML = html;
    return template.content;
  }
  return purifyToFragment(html);
}

/** The sanitizer alone (what plain markup skips; tests compare the two). */
export function purifyToFragment(html: string): DocumentFragment {
  return purify.sanitize(html) as unknown as DocumentFragment;
}
