/** Styles of <nt-compare> (compare.ts): the comparison table above the composer. */
import { css } from 'lit';
import { glowHeading, sharedStyles } from '../styles/shared';

export const compareStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    section {
      border-top: 1px solid var(--nt-rule);
      padding: var(--nt-gap-xs) var(--nt-gap-md);
      font-family: var(--nt-font-data);
      font-size: 0.88em;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: var(--nt-gap-xs) var(--nt-gap-md);
    }
    h2 {
      ${glowHeading}
      font-size: 1em;
      margin: 0;
      text-transform: uppercase;
      letter-spacing: 0.06em;
    }
    .stop {
      margin-left: auto;
      color: var(--nt-warn);
    }
    .scroll {
      overflow-x: auto;
      max-height: 40vh;
      overflow-y: auto;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      white-space: nowrap;
    }
    th,
    td {
      padding: 1px var(--nt-gap-sm) 1px 0;
      text-align: left;
      vertical-align: baseline;
      border-bottom: 1px solid var(--nt-rule);
    }
    .num {
      text-align: right;
    }
    thead th {
      color: var(--nt-dim);
      font-weight: 400;
    }
    thead th[aria-sort='ascending'],
    thead th[aria-sort='descending'] {
      color: var(--nt-accent);
    }
    .sort {
      padding: 0;
      color: inherit;
    }
    tbody th {
      font-weight: 400;
    }
    tr.active .id {
      text-decoration: underline;
    }
    .showing {
      padding: 0 var(--nt-gap-sm);
      color: var(--nt-dim);
    }
    .failed {
      color: var(--nt-error);
    }
    /* Secondary text, and the accent of what is live, won or summed. */
    .summary,
    .served,
    .provider {
      color: var(--nt-dim);
    }
    .cost,
    tr.winner .id,
    .star,
    .won,
    .live {
      color: var(--nt-accent);
    }
    .pick[aria-disabled='true'] {
      opacity: 0.6;
      cursor: not-allowed;
    }
  `,
];
