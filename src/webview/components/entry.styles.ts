/** Styles of <nt-entry> (entry.ts): one transcript entry, its metadata line and its actions. */
import { css, unsafeCSS } from 'lit';
import { markdownStyles } from '../markdown/markdownStyles';
import { sharedStyles, visuallyHidden } from '../styles/shared';
import { cursorBlink, cursorKeyframes, cursorShape } from '../styles/cursor';
import { entryExtrasStyles } from './entryExtras.styles';

/** Where a streaming reply's cursor goes after text (its `::after`; see the rules below). */
const CURSOR_AFTER_TEXT = [
  '.md.streaming > :not(.md-group, .code-block, .md-raw):last-child',
  '.md.streaming > .md-group:last-child > :not(.code-block, .md-raw):last-child',
  '.md.streaming:empty',
];
/** …and after code or raw text, without the glow. */
const CURSOR_AFTER_CODE = [
  '.md.streaming > .code-block:last-child code:not(:has(> .md-chunk))',
  '.md.streaming > .md-raw:last-child > pre:not(:has(> .md-chunk))',
  '.md.streaming > :is(.code-block, .md-raw):last-child pre .md-chunk:last-child',
];
const after = (selectors: readonly string[], idle = false) =>
  unsafeCSS(selectors.map((s) => `${idle ? s.replace('.md.streaming', '.md.streaming[data-idle]') : s}::after`).join(',\n'));

export const entryStyles = [
  sharedStyles,
  markdownStyles,
  entryExtrasStyles,
  css`
    :host {
      display: block;
    }
    article {
      position: relative;
      --nt-role: var(--nt-accent);
    }
    .body {
      padding: 0 0 0 var(--nt-gap-md);
      border-left: 2px solid var(--nt-role);
    }
    article:focus-visible {
      outline-offset: 3px;
    }
    article.user {
      --nt-role: var(--nt-warn);
    }
    article.system {
      --nt-role: var(--nt-dim);
    }
    :host([revealed]) article {
      background: var(--nt-surface);
      box-shadow: 0 0 0 2px var(--nt-focus);
    }
    .meta {
      font-size: 0.86em;
      line-height: 1.7;
      color: var(--nt-dim);
    }
    .time {
      color: var(--nt-dim);
    }
    .role {
      color: var(--nt-role);
      font-weight: 700;
      letter-spacing: 0.1em;
      text-shadow: var(--nt-glow);
    }
    .stat {
      white-space: nowrap;
    }
    .sep {
      color: var(--nt-dim);
      /* A monospace space is a full cell: narrow the gaps around the dot. */
      word-spacing: -0.45ch;
    }
    .model {
      color: var(--nt-fg);
    }
    .cost {
      color: var(--nt-warn);
    }
    .est {
      color: var(--nt-dim);
    }
    .live {
      color: var(--nt-accent);
    }
    .branch {
      float: right;
      margin-left: var(--nt-gap-sm);
      display: inline-flex;
      align-items: baseline;
      gap: 2px;
      color: var(--nt-fg);
    }
    .branch .tbtn {
      padding: 0 3px;
      color: var(--nt-accent);
    }
    .branch .tbtn:disabled {
      color: var(--nt-dim);
    }
    /* Prose in the font and size the user chose (ui.proseFont, ui.proseFontSize); code stays mono. */
    .content {
      padding: 2px 0 0;
      line-height: var(--nt-line);
      overflow-wrap: anywhere;
      font-family: var(--nt-font-prose);
      font-size: var(--nt-prose-size);
    }
    .plain {
      white-space: pre-wrap;
      margin: 0;
      font: inherit;
    }
    /* Zen: content first, but whose turn it is stays visible — a thin rule and the role alone. */
    :host([mode='zen']) .actions,
    :host([mode='zen']) .meta > :not(.role) {
      display: none;
    }
    :host([mode='zen']) .body {
      border-left-width: 1px;
    }
    :host([mode='zen']) .role {
      font-size: 0.86em;
      font-weight: 400;
      text-shadow: none;
    }
    /* The narrow sidebar: a one-line header (role · model · cost · tok/s); the rest is in the
       line's tooltip, shows while the entry has keyboard focus (a mouse press must not move what
       it is pressing), and is always there for screen readers.
       Narrower still, the model (then the rate) joins the rest rather than being cut. */
    @container app (max-width: 520px) {
      .meta {
        display: flex;
        align-items: baseline;
        white-space: nowrap;
        min-width: 0;
      }
      .meta > * {
        flex: none;
      }
      .meta .item.model {
        flex: 0 1 auto;
        min-width: 6ch;
        display: flex;
      }
      .meta .stat.model {
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .meta .branch {
        order: 1;
        margin-left: auto;
        padding-left: var(--nt-gap-sm);
      }
      /* An estimated cost reads "~$0.0041" here; "(est.)" stays for screen readers and the tooltip. */
      .stat.cost:has(.est)::before {
        content: '~';
      }
      article:not(:focus-visible, :has(:focus-visible)) .meta > .time,
      article:not(:focus-visible, :has(:focus-visible)) .meta > .item.extra,
      article:not(:focus-visible, :has(:focus-visible)) .stat.cost .est {
        ${visuallyHidden}
      }
      article:is(:focus-visible, :has(:focus-visible)) .meta {
        flex-wrap: wrap;
        white-space: normal;
      }
    }
    @container app (max-width: 380px) {
      article:not(:focus-visible, :has(:focus-visible)) .meta > .item.model {
        ${visuallyHidden}
      }
    }
    @container app (max-width: 280px) {
      article:not(:focus-visible, :has(:focus-visible)) .meta > .item.rate {
        ${visuallyHidden}
      }
    }
    :host([mode='compact']) .meta {
      line-height: 1.5;
    }
    /* The blinking block cursor of a streaming reply: at the end of the last block's text, or
       alone. Long text is drawn in block-level chunks (textChunks.ts) and a long reply's
       finished blocks in groups (blockGroups.ts): the cursor goes into the last chunk or block,
       never after it on a line of its own. */
    ${after(CURSOR_AFTER_TEXT)} {
      content: '';
      ${cursorShape}
      margin-left: 1px;
      box-shadow: var(--nt-glow);
    }
    ${after(CURSOR_AFTER_CODE)} {
      content: '';
      ${cursorShape}
    }
    /* Solid while text arrives, blinking once the reply waits (data-idle, cursorIdle.ts): a
       blink restarted on every update cost a style pass and a new animation per frame, and
       looked the same. */
    @media (prefers-reduced-motion: no-preference) {
      ${after([...CURSOR_AFTER_TEXT, ...CURSOR_AFTER_CODE], true)} {
        ${cursorBlink}
      }
    }
    ${cursorKeyframes}
    details.reasoning {
      margin: 2px 0 var(--nt-gap-xs);
      color: var(--nt-dim);
    }
    details.reasoning summary {
      cursor: pointer;
      font-size: 0.86em;
      width: fit-content;
    }
    .reasoning-text {
      white-space: pre-wrap;
      margin: var(--nt-gap-xs) 0 0;
      padding-left: var(--nt-gap-sm);
      border-left: 1px dashed var(--nt-border);
      font: inherit;
      font-size: 0.92em;
    }
    .problem {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0 var(--nt-gap-sm);
      margin: var(--nt-gap-xs) 0 0;
      font-size: 0.92em;
    }
    .problem .tag {
      font-weight: 700;
      letter-spacing: 0.08em;
    }
    .problem.failed {
      color: var(--nt-error);
    }
    .problem.partial {
      color: var(--nt-warn);
    }
    .problem .tbtn {
      color: inherit;
      border-color: currentColor;
    }
    .pii {
      margin: var(--nt-gap-xs) 0 0;
      font-size: 0.86em;
      color: var(--nt-dim);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0 2px;
      margin: 1px 0 0 calc(var(--nt-gap-md) + 2px - var(--nt-gap-sm));
      font-size: 0.82em;
      line-height: 1.4;
      opacity: 0;
      transition: opacity 120ms ease;
    }
    article:hover .actions,
    article:focus-within .actions,
    :host([last]) .actions {
      opacity: 1;
    }
    .actions .tbtn {
      color: var(--nt-dim);
    }
    .actions .tbtn:hover,
    .actions .tbtn:focus-visible {
      color: var(--nt-fg);
    }
    @media (prefers-reduced-motion: reduce) {
      .actions {
        transition: none;
      }
    }
    .edit textarea {
      display: block;
      width: 100%;
      min-height: 3lh;
      max-height: 40vh;
      field-sizing: content;
      resize: vertical;
      padding: var(--nt-gap-xs) var(--nt-gap-sm);
      line-height: var(--nt-line);
    }
    .edit-bar {
      display: flex;
      gap: var(--nt-gap-sm);
      justify-content: flex-end;
      margin-top: var(--nt-gap-xs);
      font-size: 0.86em;
    }
    .edit-bar .primary {
      color: var(--nt-accent);
      border-color: var(--nt-border);
    }
  `,
];
