/** Styles of <nt-transcript> (transcript.ts): the conversation log, its paging and jump button. */
import { css } from 'lit';
import { sharedStyles } from '../styles/shared';

export const transcriptStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
      position: relative;
      min-height: 0;
    }
    .scroller {
      height: 100%;
      overflow-y: auto;
      padding: var(--nt-gap-md) var(--nt-gap-md) var(--nt-gap-lg);
      scrollbar-gutter: stable;
      /* Its size comes from the layout around it, never its content: a growing reply relays out
         (and repaints) only inside the log, not the whole view. */
      contain: strict;
    }
    .scroller:focus-visible {
      outline-offset: -1px;
    }
    /* Each entry ends with its (hover) action row, which already spaces the log. */
    .list {
      display: flex;
      flex-direction: column;
      gap: var(--nt-gap-md);
    }
    :host([mode='compact']) .list {
      gap: var(--nt-gap-sm);
    }
    /* Off-screen entries skip layout and paint; a growing entry never relayouts its siblings. */
    nt-entry {
      content-visibility: auto;
      contain-intrinsic-size: auto 7em;
    }
    /* Never the scroll anchor: older entries go in below it, and the reader's entry must stay put. */
    .more {
      overflow-anchor: none;
      display: flex;
      justify-content: center;
      padding-bottom: var(--nt-gap-md);
      color: var(--nt-dim);
      font-size: 0.86em;
    }
    .jump {
      position: absolute;
      right: var(--nt-gap-lg);
      bottom: var(--nt-gap-md);
      font-size: 0.86em;
      color: var(--nt-accent);
      background: var(--nt-raised);
      border-color: var(--nt-border);
      box-shadow: var(--nt-shadow);
    }
  `,
];
