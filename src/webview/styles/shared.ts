/**
 * Styles every component shares: terminal text buttons, focus rings, visually hidden text,
 * meters. Colours come only from the tokens (see tokens.ts).
 */
import { css } from 'lit';

/** A text button's frame, for a class of its own (the Markdown view's code actions use it too). */
export const textButton = css`
  font: inherit;
  background: transparent;
  border: 1px solid transparent;
  border-radius: 2px;
  padding: 0 var(--nt-gap-sm);
  cursor: pointer;
`;

/** Out of sight but read by screen readers (the `.sr-only` class, for rules of their own). */
export const visuallyHidden = css`
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
  border: 0;
`;

/** The glowing accent of the terminal's headings (brand, rail and panel titles); size and spacing stay with each. */
export const glowHeading = css`
  font-weight: 700;
  color: var(--nt-accent);
  text-shadow: var(--nt-glow);
`;

/** A header row's frame (the app's bar, the drawer's head); padding and placement stay with each. */
export const headerRow = css`
  display: flex;
  align-items: center;
  gap: var(--nt-gap-sm);
  min-width: 0;
  border-bottom: 1px solid var(--nt-border);
`;

export const sharedStyles = css`
  :host {
    font-variant-numeric: tabular-nums;
  }
  * {
    box-sizing: border-box;
  }
  .sr-only {
    ${visuallyHidden}
  }
  /* One visible 2 px ring on whatever has keyboard focus (WCAG 2.4.13 asks for at least 2 px). */
  :focus-visible {
    outline: 2px solid var(--nt-focus);
    outline-offset: 1px;
  }
  /* A terminal-style text button: no chrome until hovered or focused. */
  .tbtn {
    ${textButton}
    color: var(--nt-fg);
    line-height: 1.6;
    white-space: nowrap;
  }
  .tbtn:hover {
    background: var(--nt-raised);
    border-color: var(--nt-border);
  }
  .tbtn[aria-pressed='true'] {
    color: var(--nt-accent);
    border-color: var(--nt-border);
    background: var(--nt-surface);
  }
  .tbtn:disabled {
    cursor: default;
    color: var(--nt-dim);
    background: transparent;
    border-color: transparent;
  }
  .tbtn.danger {
    color: var(--nt-error);
  }
  .label {
    color: var(--nt-dim);
    font-size: 0.8em;
    letter-spacing: 0.12em;
    text-transform: uppercase;
  }
  .sep {
    color: var(--nt-dim);
    padding: 0 0.35em;
  }
  input[type='text'],
  input[type='search'],
  textarea {
    font: inherit;
    color: var(--nt-fg);
    background: var(--nt-surface);
    border: 1px solid var(--nt-border);
    border-radius: 2px;
  }
  input::placeholder,
  textarea::placeholder {
    color: var(--nt-dim);
    opacity: 1;
  }
`;
