/** Styles of <nt-telemetry> (telemetry.ts): the instrument panel and its one-line strip. */
import { css } from 'lit';
import { glowHeading, sharedStyles } from '../styles/shared';

export const telemetryStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
      font-size: 0.92em;
    }
    section {
      padding: var(--nt-gap-sm) 0;
      border-bottom: 1px dashed var(--nt-rule);
    }
    section:last-child {
      border-bottom: 0;
    }
    h2 {
      margin: 0 0 var(--nt-gap-md);
      font-size: 0.86em;
      ${glowHeading}
      letter-spacing: 0.16em;
    }
    .row {
      display: flex;
      align-items: baseline;
      justify-content: space-between;
      gap: var(--nt-gap-sm);
    }
    .big {
      font-size: 1.3em;
      color: var(--nt-warn);
      text-shadow: var(--nt-glow);
    }
    .of {
      color: var(--nt-dim);
    }
    .value {
      color: var(--nt-fg);
    }
    .meter {
      margin: var(--nt-gap-xs) 0;
      height: 6px;
    }
    .meter svg {
      display: block;
      width: 100%;
      height: 100%;
    }
    .track {
      fill: var(--nt-raised);
    }
    .fill {
      fill: var(--nt-accent-fill);
    }
    .meter.warn .fill {
      fill: var(--nt-warn-fill);
    }
    .meter.over .fill {
      fill: var(--nt-error-fill);
    }
    .reserve {
      fill: var(--nt-border);
    }
    .tick {
      fill: var(--nt-dim);
    }
    .pct.warn {
      color: var(--nt-warn);
    }
    .pct.over {
      color: var(--nt-error);
      font-weight: 700;
    }
    .spark {
      display: block;
      width: 100%;
      height: 28px;
      margin-top: var(--nt-gap-xs);
    }
    .spark rect {
      fill: var(--nt-warn-fill);
    }
    .spark rect.base {
      fill: var(--nt-rule);
    }
    .circuit.closed {
      color: var(--nt-accent);
    }
    .circuit.half-open {
      color: var(--nt-warn);
    }
    .circuit.open {
      color: var(--nt-error);
      font-weight: 700;
    }
    .none {
      color: var(--nt-dim);
    }
    /* The strip: one line under the transcript in the narrow sidebar. */
    :host([variant='strip']) {
      font-size: 0.82em;
    }
    .strip {
      display: flex;
      align-items: center;
      gap: var(--nt-gap-sm);
      padding: 2px var(--nt-gap-sm) 2px var(--nt-gap-md);
      border-top: 1px solid var(--nt-border);
      background: var(--nt-surface);
      color: var(--nt-dim);
      white-space: nowrap;
      overflow: hidden;
    }
    /* Items that do not fit wrap onto a second line the strip never shows: a figure is shown
       whole or not at all (all of them are in the strip's title and the details drawer). */
    .strip .items {
      display: flex;
      flex-wrap: wrap;
      column-gap: var(--nt-gap-md);
      min-width: 0;
      flex: 1;
      height: 1.5em;
      line-height: 1.5em;
      overflow: hidden;
    }
    .strip .items > * {
      flex: none;
    }
    .strip .cost {
      color: var(--nt-warn);
    }
    .strip .meter {
      width: 44px;
      height: 5px;
      margin: 0;
      flex: none;
      align-self: center;
    }
    .strip .budget {
      display: inline-flex;
      align-items: center;
      gap: var(--nt-gap-xs);
    }
    .strip .more {
      flex: none;
      color: var(--nt-fg);
    }
    @container app (max-width: 340px) {
      .strip .more .word {
        display: none;
      }
    }
  `,
];
