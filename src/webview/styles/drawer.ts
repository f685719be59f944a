/**
 * What the drawers' contents share (history, models): filters, a scrolling body, list
 * resets. Their header and close button are the frame's, <nt-drawer>.
 */
import { css } from 'lit';

export const drawerStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    height: 100%;
  }
  .drawer-body {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
  }
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .empty {
    padding: var(--nt-gap-md);
    margin: 0;
    color: var(--nt-dim);
  }
  .empty.error {
    color: var(--nt-error);
  }
  .more {
    display: flex;
    justify-content: center;
    padding: var(--nt-gap-sm);
  }
  vscode-textfield {
    width: 100%;
    --vscode-input-background: var(--nt-surface);
    --vscode-input-foreground: var(--nt-fg);
    --vscode-input-border: var(--nt-border);
    --vscode-input-placeholderForeground: var(--nt-dim);
    --vscode-font-family: var(--nt-font-data);
    --vscode-font-size: 0.92em;
  }
  vscode-checkbox {
    --vscode-font-family: var(--nt-font-data);
    --vscode-foreground: var(--nt-fg);
    --vscode-checkbox-background: var(--nt-surface);
    --vscode-checkbox-border: var(--nt-border);
    --vscode-checkbox-foreground: var(--nt-fg);
  }
  /* The filter bar under a drawer's header (archive search, model search). */
  .filters {
    display: flex;
    flex-direction: column;
    gap: var(--nt-gap-sm);
    padding: var(--nt-gap-sm) var(--nt-gap-md);
    border-bottom: 1px solid var(--nt-rule);
  }
`;
