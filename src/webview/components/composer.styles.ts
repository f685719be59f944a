/** Styles of <nt-composer> (composer.ts): the prompt line, and its `@` menu. */
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

export const composerStyles = css`
  :host {
    display: block;
    padding: var(--nt-gap-sm) var(--nt-gap-md) var(--nt-gap-md);
    border-top: 1px solid var(--nt-border);
    background: var(--nt-bg);
    /* vscode-button reads these; the theme's own button blue on white text is only 4.5:1. */
    --vscode-button-background: var(--nt-accent);
    --vscode-button-hoverBackground: color-mix(in oklab, var(--nt-accent) 88%, var(--nt-fg));
    --vscode-button-foreground: var(--nt-bg);
    --vscode-button-border: var(--nt-accent);
    --vscode-button-secondaryBackground: transparent;
    --vscode-button-secondaryHoverBackground: var(--nt-raised);
    --vscode-button-secondaryForeground: var(--nt-fg);
    --vscode-font-family: var(--nt-font-data);
  }
  .top {
    display: flex;
    align-items: baseline;
    gap: var(--nt-gap-sm);
    font-size: 0.86em;
    margin-bottom: var(--nt-gap-xs);
    min-height: 1.6em;
  }
  .model {
    min-width: 0;
    max-width: 65%;
    overflow: hidden;
    text-overflow: ellipsis;
    color: var(--nt-fg);
    padding-left: 0;
  }
  .model .glyph {
    color: var(--nt-accent);
  }
  .estimate {
    margin-left: auto;
    color: var(--nt-dim);
    white-space: nowrap;
  }
  .estimate .cost {
    color: var(--nt-warn);
  }
  .estimate.no-provider {
    color: var(--nt-error);
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .field {
    display: flex;
    align-items: flex-start;
    gap: var(--nt-gap-sm);
    padding: var(--nt-gap-xs) var(--nt-gap-sm);
    background: var(--nt-surface);
    border: 1px solid var(--nt-border);
    border-radius: 2px;
  }
  /* The message box has one ring: the field's (border + 1 px shadow = 2 px), not the textarea's too. */
  .field:focus-within {
    border-color: var(--nt-focus);
    box-shadow: 0 0 0 1px var(--nt-focus);
  }
  textarea:focus-visible {
    outline: none;
  }
  .prompt {
    color: var(--nt-accent);
    font-weight: 700;
    line-height: var(--nt-line);
    text-shadow: var(--nt-glow);
    user-select: none;
  }
  textarea {
    flex: 1;
    min-width: 0;
    min-height: 2lh;
    max-height: 40vh;
    field-sizing: content;
    resize: none;
    padding: 0;
    border: 0;
    background: transparent;
    line-height: var(--nt-line);
    caret-color: var(--nt-accent);
    outline: none;
  }
  /* Three buttons and the hint do not fit a 240 px sidebar: the buttons wrap, never overflow. */
  .bottom {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    align-items: center;
    gap: var(--nt-gap-sm);
    margin-top: var(--nt-gap-sm);
  }
  .hint {
    flex: 1 1 8em;
    min-width: 0;
    margin-right: auto;
    font-size: 0.8em;
    color: var(--nt-dim);
  }
  .hint kbd {
    font: inherit;
    color: var(--nt-fg);
  }
  :host([mode='zen']) .hint,
  :host([mode='compact']) .hint {
    visibility: hidden;
  }
  vscode-button {
    --vsc-border-left-radius: 2px;
    --vsc-border-right-radius: 2px;
  }
`;
