/** Styles of <nt-archive> (archive.ts): the history drawer. */
import { css } from 'lit';
import { sharedStyles } from '../styles/shared';
import { drawerStyles } from '../styles/drawer';

export const archiveStyles = [
  sharedStyles,
  drawerStyles,
  css`
    .tags {
      display: flex;
      flex-wrap: wrap;
      gap: var(--nt-gap-xs);
    }
    .tags .tbtn {
      border-color: var(--nt-border);
      font-size: 0.86em;
    }
    li.conv {
      padding: var(--nt-gap-sm) var(--nt-gap-md);
      border-bottom: 1px dashed var(--nt-rule);
    }
    li.depth-1 {
      padding-left: calc(var(--nt-gap-md) + 1.2em);
    }
    li.depth-2 {
      padding-left: calc(var(--nt-gap-md) + 2.4em);
    }
    li.depth-3 {
      padding-left: calc(var(--nt-gap-md) + 3.6em);
    }
    .open {
      display: block;
      width: 100%;
      text-align: left;
      padding: 0;
      font-weight: 700;
      overflow-wrap: anywhere;
      white-space: normal;
    }
    .open[aria-current='true'] {
      color: var(--nt-accent);
    }
    .open[aria-current='true']::before {
      content: '▸ ';
    }
    .meta {
      font-size: 0.82em;
      color: var(--nt-dim);
      /* Break a figure or an id only when it cannot fit on a line of its own. */
      overflow-wrap: break-word;
    }
    .meta .cost {
      color: var(--nt-warn);
    }
    .tagline {
      font-size: 0.82em;
      color: var(--nt-accent);
    }
    .lineage {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px;
      font-size: 0.82em;
      color: var(--nt-dim);
    }
    .lineage vscode-icon {
      color: var(--nt-accent);
    }
    /* A long source title wraps instead of being cut. */
    .lineage .tbtn {
      min-width: 0;
      max-width: 100%;
      white-space: normal;
      overflow-wrap: anywhere;
      text-align: left;
      font-size: inherit;
      padding: 0 2px;
      color: var(--nt-fg);
      text-decoration: underline dotted;
    }
    .archived-tag {
      color: var(--nt-warn);
    }
    .row-actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0 2px;
      margin-left: calc(-1 * var(--nt-gap-sm));
      font-size: 0.82em;
    }
    .row-actions .tbtn {
      color: var(--nt-dim);
    }
    .row-actions .tbtn:hover,
    .row-actions .tbtn:focus-visible {
      color: var(--nt-fg);
    }
    .inline-edit {
      display: flex;
      gap: var(--nt-gap-xs);
      margin-top: var(--nt-gap-xs);
    }
    .inline-edit input {
      flex: 1;
      min-width: 0;
      padding: 1px var(--nt-gap-xs);
    }
    .hit {
      display: block;
      width: 100%;
      text-align: left;
      white-space: normal;
      padding: var(--nt-gap-sm) var(--nt-gap-md);
      border-radius: 0;
      border: 0;
      border-bottom: 1px dashed var(--nt-rule);
    }
    .hit .title {
      display: block;
      font-weight: 700;
    }
    .hit .snippet {
      display: block;
      font-size: 0.86em;
      color: var(--nt-dim);
      overflow-wrap: anywhere;
    }
    mark {
      background: var(--nt-mark-bg);
      color: var(--nt-warn);
      font-weight: 700;
      text-decoration: underline;
      text-underline-offset: 2px;
    }
  `,
];
