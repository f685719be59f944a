/** Styles of <nt-drawer> (drawer.ts): the frame's header and its vertically scrolling content. */
import { css } from 'lit';
import { headerRow, sharedStyles } from '../styles/shared';

export const drawerFrameStyles = [
  sharedStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-width: 0;
      min-height: 0;
      overflow: hidden;
    }
    .drawer-head {
      flex: none;
      ${headerRow}
      padding: 2px var(--nt-gap-sm) 2px var(--nt-gap-md);
    }
    h2 {
      flex: none;
      margin: 0;
      font-size: 0.86em;
      font-weight: 700;
      letter-spacing: 0.16em;
      color: var(--nt-accent);
      text-shadow: var(--nt-glow);
    }
    .count {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      color: var(--nt-dim);
      font-size: 0.82em;
    }
    .close {
      flex: none;
      margin-left: auto;
      font-size: 1.1em;
      line-height: 1.3;
    }
    /* The held drawer fills what is left; it scrolls its own list, never sideways. */
    .content {
      flex: 1;
      min-height: 0;
      display: flex;
      flex-direction: column;
      overflow-x: hidden;
      overflow-y: auto;
    }
    ::slotted(*) {
      flex: 1;
      min-height: 0;
      min-width: 0;
    }
  `,
];
