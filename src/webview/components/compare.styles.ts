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
    .summary {
      color: var(--nt-dim);
    }
    .cost {
      color: var(--nt-accent);
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
    .served,
    .provider {
      color: var(--nt-dim);
    }
    tr.active .id {
      text-decoration: underline;
    }
    tr.winner .id,
    .star,
    .won {
      color: var(--nt-accent);
    }
    .live {
      color: var(--nt-accent);
    }
    .failed {
      color: var(--nt-error);
    }
    .showing {
      color: var(--nt-dim);
      padding: 0 var(--nt-gap-sm);
    }
    .pick[aria-disabled='true'] {
      opacity: 0.6;
      cursor: not-allowed;
    }
  `,
];
