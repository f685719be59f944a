import { css } from 'lit';

/** The "N more not shown · show all" row under a collapsed entry. */
export const longContentStyles = css`
  .collapsed-note {
    display: flex;
    align-items: center;
    gap: var(--nt-gap-sm);
    margin-top: var(--nt-gap-sm);
    padding-top: var(--nt-gap-sm);
    border-top: 1px dashed var(--nt-border);
    font-size: 0.86em;
  }
  .collapsed-note .dim {
    color: var(--nt-dim);
  }
`;
