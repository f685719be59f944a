/** Styles of <nt-attachment-chips>: compact, wrapping chips in the terminal's colours. */
import { css } from 'lit';

export const attachmentChipsStyles = css`
  :host {
    display: block;
  }
  ul {
    display: flex;
    flex-wrap: wrap;
    gap: var(--nt-gap-xs);
    margin: 0 0 var(--nt-gap-xs);
    padding: 0;
    list-style: none;
  }
  li {
    display: inline-flex;
    align-items: baseline;
    gap: var(--nt-gap-xs);
    max-width: 100%;
    padding: 0 var(--nt-gap-xs);
    border: 1px solid var(--nt-border);
    border-radius: 2px;
    background: var(--nt-raised);
    font-size: 0.86em;
    line-height: 1.6;
  }
  li:focus-visible {
    outline: 2px solid var(--nt-focus);
    outline-offset: 1px;
  }
  .kind {
    color: var(--nt-accent);
  }
  .thumb {
    align-self: center;
    width: 2.4em;
    height: 2.4em;
    object-fit: cover;
    border-radius: 2px;
  }
  :host([readonly]) .thumb {
    width: 4em;
    height: 4em;
  }
  .label {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--nt-fg);
  }
  .figures {
    color: var(--nt-dim);
    white-space: nowrap;
  }
  .cost {
    color: var(--nt-warn);
  }
  .remove {
    padding: 0 2px;
    color: var(--nt-dim);
  }
  .remove:hover,
  .remove:focus-visible {
    color: var(--nt-fg);
  }
  :host([readonly]) li {
    background: transparent;
  }
`;
