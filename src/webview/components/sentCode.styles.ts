/** Styles of <nt-sent-code> (sentCode.ts): a sent selection's caption and code block. */
import { css } from 'lit';
import { markdownStyles } from '../markdown/markdownStyles';
import { sharedStyles } from '../styles/shared';

export const sentCodeStyles = [
  sharedStyles,
  markdownStyles,
  css`
    :host {
      display: block;
      min-width: 0;
    }
    figure {
      margin: 0.4em 0 0;
      min-width: 0;
    }
    figcaption {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0 var(--nt-gap-sm);
      font-size: 0.86em;
      color: var(--nt-dim);
    }
    .loc {
      min-width: 0;
      overflow-wrap: anywhere;
      color: var(--nt-accent);
    }
    a.loc {
      text-decoration: underline;
      text-underline-offset: 2px;
    }
    .lang {
      text-transform: lowercase;
    }
  `,
];
