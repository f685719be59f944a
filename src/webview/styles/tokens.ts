/**
 * Design tokens of the research terminal, resolved from the editor theme so every
 * theme (dark, light, high contrast) is right by construction. The "phosphor" look
 * swaps in the original palette. Components use only these `--nt-*` names.
 */
import { css } from 'lit';

export const terminalTokens = css`
  :host {
    --nt-bg: var(--vscode-sideBar-background, var(--vscode-editor-background));
    --nt-fg: var(--vscode-sideBar-foreground, var(--vscode-editor-foreground));
    --nt-dim: var(--vscode-descriptionForeground);
    --nt-border: var(--vscode-sideBarSectionHeader-border, var(--vscode-panel-border, transparent));
    --nt-accent: var(--vscode-terminal-ansiGreen);
    --nt-warn: var(--vscode-terminal-ansiYellow);
    --nt-error: var(--vscode-terminal-ansiRed, var(--vscode-errorForeground));
    --nt-focus: var(--vscode-focusBorder);
    --nt-font-data: var(--vscode-editor-font-family, monospace);
    --nt-font-size: var(--vscode-editor-font-size, 13px);
    --nt-gap-xs: 2px;
    --nt-gap-sm: 6px;
    --nt-gap-md: 12px;
  }
  /* Light themes ship ANSI colours tuned for dark text on white terminals; darken them
     so data stays readable (the axe contrast checks run against these). */
  :host-context(body.vscode-light) {
    --nt-accent: color-mix(in oklab, var(--vscode-terminal-ansiGreen) 45%, black);
    --nt-warn: color-mix(in oklab, var(--vscode-terminal-ansiYellow) 40%, black);
    --nt-error: color-mix(in oklab, var(--vscode-terminal-ansiRed) 65%, black);
  }
  :host([data-look='phosphor']) {
    --nt-bg: #0a0a0f;
    --nt-fg: #c8ffd4;
    --nt-dim: #8fbf9a;
    --nt-border: #1a1a1f;
    --nt-accent: #00ff41;
    --nt-warn: #ffb000;
    --nt-error: #ff4444;
  }
`;
