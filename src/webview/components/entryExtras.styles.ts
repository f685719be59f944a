/** Styles of an entry's OpenRouter-control parts (entryExtras.ts): provider, BYOK split, cache, citations. */
import { css } from 'lit';

export const entryExtrasStyles = css`
  .citations {
    margin: 0.3em 0 0;
    padding: 0;
    list-style: none;
    color: var(--nt-dim);
  }
  .citations a {
    color: var(--nt-accent);
  }
  .saving {
    color: var(--nt-ok, var(--nt-accent));
  }
  .controls {
    color: var(--nt-dim);
  }
`;
