/** Styles of <nt-models> (models.ts): the models drawer. */
import { css } from 'lit';
import { sharedStyles } from '../styles/shared';
import { drawerStyles } from '../styles/drawer';

export const modelsStyles = [
  sharedStyles,
  drawerStyles,
  css`
    .sorts {
      display: flex;
      align-items: baseline;
      gap: var(--nt-gap-xs);
      font-size: 0.86em;
    }
    .stale {
      padding: var(--nt-gap-xs) var(--nt-gap-md);
      margin: 0;
      font-size: 0.82em;
      color: var(--nt-warn);
    }
    .model {
      display: block;
      width: 100%;
      text-align: left;
      white-space: normal;
      padding: var(--nt-gap-sm) var(--nt-gap-md);
      border: 0;
      border-radius: 0;
      border-bottom: 1px dashed var(--nt-rule);
    }
    .model[aria-current='true'] {
      background: var(--nt-surface);
      box-shadow: inset 2px 0 0 var(--nt-accent-fill);
    }
    .name {
      display: block;
      font-weight: 700;
      overflow-wrap: anywhere;
    }
    .model[aria-current='true'] .name::after {
      content: '  ✓ selected';
      font-weight: 400;
      color: var(--nt-accent);
    }
    .id {
      display: block;
      font-size: 0.82em;
      color: var(--nt-dim);
      overflow-wrap: anywhere;
    }
    .prices {
      display: block;
      font-size: 0.86em;
      color: var(--nt-dim);
    }
    .prices .num {
      color: var(--nt-warn);
    }
    .prices .varies {
      color: var(--nt-fg);
      font-style: italic;
    }
    .prices .free {
      color: var(--nt-accent);
    }
  `,
];
