/**
 * How rendered model output looks: terminal-dense prose, code blocks with an action bar,
 * restrained syntax colours (only the text tokens of tokens.ts, so AAA contrast holds).
 */
import { css } from 'lit';
import { textButton } from '../styles/shared';

export const markdownStyles = css`
  .md {
    line-height: var(--nt-line);
  }
  .md > :first-child {
    margin-top: 0;
  }
  .md > :last-child {
    margin-bottom: 0;
  }
  .md p,
  .md ul,
  .md ol,
  .md blockquote,
  .md .code-block,
  .md .table-scroll {
    margin: 0 0 0.6em;
  }
  .md h1,
  .md h2,
  .md h3,
  .md h4,
  .md h5,
  .md h6 {
    font-size: 1em;
    font-weight: 700;
    margin: 0.9em 0 0.4em;
    color: var(--nt-fg);
  }
  .md h1::before {
    content: '# ';
    color: var(--nt-dim);
  }
  .md h2::before {
    content: '## ';
    color: var(--nt-dim);
  }
  .md h3::before,
  .md h4::before,
  .md h5::before,
  .md h6::before {
    content: '### ';
    color: var(--nt-dim);
  }
  .md ul,
  .md ol {
    padding-left: 1.6em;
  }
  .md li + li {
    margin-top: 0.15em;
  }
  .md li::marker {
    color: var(--nt-dim);
  }
  .md blockquote {
    padding: 0 0 0 var(--nt-gap-md);
    border-left: 2px solid var(--nt-border);
    color: var(--nt-dim);
  }
  .md hr {
    border: 0;
    border-top: 1px dashed var(--nt-border);
    margin: 0.9em 0;
  }
  .md a {
    color: var(--nt-link);
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  .md a:not([href]) {
    color: inherit;
    text-decoration: none;
  }
  .md strong {
    color: var(--nt-fg);
  }
  .md code {
    font-family: var(--nt-font-data);
    font-size: 0.95em;
    background: var(--nt-surface);
    border: 1px solid var(--nt-rule);
    border-radius: 2px;
    padding: 0 0.25em;
  }
  .md .code-block {
    border: 1px solid var(--nt-border);
    border-radius: 2px;
    background: var(--nt-surface);
  }
  .md .code-bar {
    display: flex;
    /* In a narrow sidebar the actions wrap onto a second row, whole, rather than mid-word. */
    flex-wrap: wrap;
    align-items: baseline;
    gap: 2px;
    padding: 1px var(--nt-gap-xs) 1px var(--nt-gap-sm);
    border-bottom: 1px solid var(--nt-rule);
    font-size: 0.82em;
    color: var(--nt-dim);
  }
  .md .code-lang {
    margin-right: auto;
    white-space: nowrap;
    letter-spacing: 0.08em;
    text-transform: lowercase;
  }
  .md .code-action {
    ${textButton}
    color: var(--nt-dim);
    white-space: nowrap;
  }
  .md .code-action:hover,
  .md .code-action:focus-visible {
    color: var(--nt-fg);
    border-color: var(--nt-border);
    background: var(--nt-raised);
  }
  .md pre {
    margin: 0;
    padding: var(--nt-gap-sm) var(--nt-gap-sm);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    tab-size: 4;
  }
  .md pre code {
    background: none;
    border: 0;
    padding: 0;
    font-size: 0.95em;
  }
  .md .table-scroll {
    overflow-x: auto;
  }
  .md table {
    border-collapse: collapse;
    font-size: 0.95em;
  }
  /* A big table drawn in parts (tableRows.ts): equal fixed columns line the parts up, and a part
     off screen skips layout. */
  .md .md-table-part {
    content-visibility: auto;
    contain-intrinsic-size: auto 30lh;
  }
  .md .md-table-part table {
    table-layout: fixed;
    width: 100%;
  }
  .md .md-table-part + .md-table-part {
    margin-top: -1px;
  }
  .md th,
  .md td {
    border: 1px solid var(--nt-border);
    padding: 1px var(--nt-gap-sm);
    text-align: left;
  }
  .md th {
    color: var(--nt-fg);
    background: var(--nt-surface);
  }
  .md td[align='right'],
  .md th[align='right'] {
    text-align: right;
  }
  .md td[align='center'],
  .md th[align='center'] {
    text-align: center;
  }
  /* Syntax colours: keywords green, strings amber, comments dim — the terminal's own inks. */
  .md .hljs-keyword,
  .md .hljs-built_in,
  .md .hljs-selector-tag,
  .md .hljs-addition,
  .md .hljs-name {
    color: var(--nt-accent);
  }
  .md .hljs-string,
  .md .hljs-regexp,
  .md .hljs-attr,
  .md .hljs-attribute,
  .md .hljs-symbol,
  .md .hljs-bullet {
    color: var(--nt-warn);
  }
  .md .hljs-number,
  .md .hljs-literal,
  .md .hljs-type,
  .md .hljs-title,
  .md .hljs-selector-class,
  .md .hljs-selector-id,
  .md .hljs-section {
    color: var(--nt-link);
  }
  .md .hljs-comment,
  .md .hljs-quote,
  .md .hljs-meta {
    color: var(--nt-dim);
    font-style: italic;
  }
  .md .hljs-deletion {
    color: var(--nt-error);
  }
  .md .hljs-strong {
    font-weight: 700;
  }
  .md .hljs-emphasis {
    font-style: italic;
  }
  /* Long text in blocks of a few KB (textChunks.ts): off screen they skip layout entirely. */
  .md .md-chunk {
    display: block;
    content-visibility: auto;
    contain-intrinsic-size: auto 50lh;
  }
  /* A long reply's finished blocks, in groups of a few KB (blockGroups.ts): a group off screen is
     neither laid out nor painted. Its margins stay inside it, so a group's first block starts flush. */
  .md > .md-group {
    content-visibility: auto;
    contain-intrinsic-size: auto 40lh;
  }
  .md > .md-group > :first-child {
    margin-top: 0;
  }
  .md > .md-group:last-child > :last-child {
    margin-bottom: 0;
  }
  /* A block shown as its source: too big or complex to format without freezing, or it failed. */
  .md .md-raw {
    margin: 0 0 0.6em;
    border: 1px dashed var(--nt-border);
    border-radius: 2px;
  }
  .md .md-raw-bar {
    display: flex;
    align-items: baseline;
    gap: var(--nt-gap-sm);
    padding: 1px var(--nt-gap-xs) 1px var(--nt-gap-sm);
    border-top: 1px solid var(--nt-rule);
    font-size: 0.82em;
    color: var(--nt-dim);
  }
  .md .md-raw-bar span {
    margin-right: auto;
  }
  .md .md-render-anyway {
    font: inherit;
    color: var(--nt-fg);
    background: transparent;
    border: 1px solid var(--nt-border);
    border-radius: 2px;
    padding: 0 var(--nt-gap-sm);
    cursor: pointer;
  }
  .md .md-render-anyway:hover,
  .md .md-render-anyway:focus-visible {
    background: var(--nt-raised);
  }
`;
