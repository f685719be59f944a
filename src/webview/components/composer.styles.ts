/** Styles of the composer's `@` menu (the rest of the composer's styles sit in composer.ts). */
import { css } from 'lit';

export const composerMentionStyles = css`
  .mentions {
    margin: 0 0 var(--nt-gap-xs);
    padding: var(--nt-gap-xs) 0;
    list-style: none;
    border: 1px solid var(--nt-focus);
    border-radius: 2px;
    background: var(--nt-surface);
    font-size: 0.86em;
  }
  .mentions li {
    padding: 0 var(--nt-gap-sm);
    cursor: pointer;
    line-height: 1.7;
  }
  .mentions li[aria-selected='true'] {
    background: var(--nt-raised);
    outline: 1px solid var(--nt-focus);
    outline-offset: -1px;
  }
  .mentions .kind {
    color: var(--nt-accent);
  }
  .mentions .hint {
    color: var(--nt-dim);
  }
`;
