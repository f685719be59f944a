/** Styles of <nt-notices> (notices.ts): the notices above the composer. */
import { css } from 'lit';
import { sharedStyles } from '../styles/shared';

export const noticesStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: var(--nt-gap-xs) var(--nt-gap-md);
      display: flex;
      flex-direction: column;
      gap: var(--nt-gap-xs);
    }
    li {
      display: grid;
      grid-template-columns: auto 1fr auto;
      align-items: baseline;
      gap: 0 var(--nt-gap-sm);
      padding: var(--nt-gap-xs) var(--nt-gap-sm);
      border: 1px solid var(--nt-border);
      border-left: 3px solid var(--tone);
      background: var(--nt-surface);
      font-size: 0.9em;
      --tone: var(--nt-accent);
    }
    li.warning {
      --tone: var(--nt-warn);
    }
    li.error {
      --tone: var(--nt-error);
    }
    .glyph {
      color: var(--tone);
      font-weight: 700;
    }
    .body {
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .message {
      color: var(--nt-fg);
    }
    .timer {
      color: var(--tone);
      white-space: nowrap;
    }
    .thinking::after {
      content: '';
      animation: nt-dots 1.4s steps(4) infinite;
    }
    @keyframes nt-dots {
      0% {
        content: '';
      }
      25% {
        content: '.';
      }
      50% {
        content: '..';
      }
      75% {
        content: '...';
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .thinking::after {
        animation: none;
        content: '…';
      }
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--nt-gap-xs);
      margin-top: 2px;
    }
    .actions .tbtn {
      border-color: var(--nt-border);
    }
    .actions .tbtn.primary {
      color: var(--tone);
      border-color: currentColor;
    }
    .toggle {
      margin: 0 var(--nt-gap-md) var(--nt-gap-xs);
      font-size: 0.86em;
      color: var(--nt-dim);
    }
    .dismiss {
      color: var(--nt-dim);
      align-self: start;
    }
  `,
];
