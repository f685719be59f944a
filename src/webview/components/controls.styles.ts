/** Styles of <nt-controls> (controls.ts): the composer's routing, reasoning and web-search picker. */
import { css } from 'lit';

export const controlsStyles = css`
  :host {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--nt-gap-xs) var(--nt-gap-sm);
    font-size: 0.8em;
    color: var(--nt-dim);
  }
  label {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    white-space: nowrap;
  }
  select {
    max-width: 12em;
    background: var(--nt-surface);
    color: var(--nt-fg);
    border: 1px solid var(--nt-border);
    font: inherit;
  }
  input[type='checkbox'] {
    margin: 0;
    accent-color: var(--nt-accent);
  }
`;
