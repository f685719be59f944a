/**
 * Design tokens of the research terminal, resolved from the editor theme so every theme
 * (dark, light, high contrast dark and light) is right by construction. Components use only
 * these `--nt-*` names. The "phosphor" look swaps in the seed's palette.
 *
 * Contrast: every token used for text keeps ≥ 7:1 (WCAG AAA) against --nt-bg and
 * --nt-surface. Terminal ANSI colours are tuned for terminals, not for small text, so text
 * accents are the ANSI hue mixed toward white (dark themes) or black (light themes); the raw
 * ANSI colours are kept for fills (bars, rules), which carry no text.
 */
import { css } from 'lit';

export const terminalTokens = css`
  :host {
    --nt-bg: var(--vscode-sideBar-background, var(--vscode-editor-background));
    --nt-fg: var(--vscode-sideBar-foreground, var(--vscode-editor-foreground, var(--vscode-foreground)));
    --nt-dim: color-mix(in oklab, var(--nt-fg) 86%, var(--nt-bg));
    --nt-surface: color-mix(in oklab, var(--nt-fg) 5%, var(--nt-bg));
    --nt-raised: color-mix(in oklab, var(--nt-fg) 9%, var(--nt-bg));
    --nt-border: color-mix(in oklab, var(--nt-fg) 16%, var(--nt-bg));
    --nt-rule: color-mix(in oklab, var(--nt-fg) 10%, var(--nt-bg));
    --nt-accent: color-mix(in oklab, var(--vscode-terminal-ansiGreen, #0dbc79) 70%, white);
    --nt-warn: color-mix(in oklab, var(--vscode-terminal-ansiYellow, #e5e510) 85%, white);
    --nt-error: color-mix(in oklab, var(--vscode-terminal-ansiRed, #cd3131) 50%, white);
    --nt-link: color-mix(in oklab, var(--vscode-textLink-foreground, #4daafc) 70%, white);
    --nt-accent-fill: var(--vscode-terminal-ansiGreen, #0dbc79);
    --nt-warn-fill: var(--vscode-terminal-ansiYellow, #e5e510);
    --nt-error-fill: var(--vscode-terminal-ansiBrightRed, #f14c4c);
    --nt-mark-bg: color-mix(in oklab, var(--vscode-terminal-ansiYellow, #e5e510) 10%, var(--nt-bg));
    --nt-focus: var(--vscode-focusBorder, #0078d4);
    --nt-contrast-border: var(--vscode-contrastBorder, transparent);
    --nt-shadow: 0 6px 24px color-mix(in srgb, black 45%, transparent);
    --nt-font-data: var(--vscode-editor-font-family, ui-monospace, monospace);
    --nt-font-size: var(--vscode-editor-font-size, 13px);
    /* Transcript prose: the editor's monospace unless ui.proseFont picks the UI font. */
    --nt-font-prose: var(--nt-font-data);
    --nt-prose-size: 1em;
    --nt-line: 1.55;
    --nt-gap-xs: 2px;
    --nt-gap-sm: 6px;
    --nt-gap-md: 12px;
    --nt-gap-lg: 18px;
    --nt-glow: none;
  }
  :host([data-prose='ui']) {
    --nt-font-prose: var(--vscode-font-family, system-ui, sans-serif);
  }
  :host-context(body.vscode-light) {
    --nt-dim: color-mix(in oklab, var(--nt-fg) 92%, var(--nt-bg));
    --nt-accent: color-mix(in oklab, var(--vscode-terminal-ansiGreen, #107c10) 70%, black);
    --nt-warn: color-mix(in oklab, var(--vscode-terminal-ansiYellow, #949800) 55%, black);
    --nt-error: color-mix(in oklab, var(--vscode-terminal-ansiRed, #cd3131) 70%, black);
    --nt-link: color-mix(in oklab, var(--vscode-textLink-foreground, #005fb8) 80%, black);
    --nt-mark-bg: color-mix(in oklab, var(--vscode-terminal-ansiYellow, #949800) 12%, var(--nt-bg));
    --nt-shadow: 0 6px 24px color-mix(in srgb, black 16%, transparent);
  }
  :host-context(body.vscode-high-contrast) {
    --nt-dim: color-mix(in oklab, var(--nt-fg) 80%, var(--nt-bg));
    --nt-surface: var(--nt-bg);
    --nt-raised: var(--nt-bg);
    --nt-border: var(--vscode-contrastBorder, var(--nt-fg));
    --nt-rule: var(--vscode-contrastBorder, var(--nt-fg));
    --nt-shadow: none;
  }
  :host-context(body.vscode-high-contrast-light) {
    --nt-dim: color-mix(in oklab, var(--nt-fg) 88%, var(--nt-bg));
    --nt-accent: color-mix(in oklab, var(--vscode-terminal-ansiGreen, #136c13) 70%, black);
    --nt-warn: color-mix(in oklab, var(--vscode-terminal-ansiYellow, #949800) 55%, black);
    --nt-error: color-mix(in oklab, var(--vscode-terminal-ansiRed, #cd3131) 70%, black);
    --nt-link: var(--vscode-textLink-foreground, #0f4a85);
    --nt-mark-bg: color-mix(in oklab, var(--vscode-terminal-ansiYellow, #949800) 12%, var(--nt-bg));
  }
  /* Opened as an editor tab: the editor's surface, not the side bar's. */
  :host([data-placement='editor']) {
    --nt-bg: var(--vscode-editor-background);
    --nt-fg: var(--vscode-editor-foreground, var(--vscode-foreground));
  }
  /* The seed's palette; its #ff4444 red is lightened to #ff6b6b to reach 7:1 on the void black.
     The attribute is repeated to outrank :host-context(body.…) (specificity 0,2,1). */
  :host([data-look='phosphor'][data-look]) {
    --nt-bg: #0a0a0f;
    --nt-fg: #d4ffdf;
    --nt-dim: #93c7a0;
    --nt-surface: #111118;
    --nt-raised: #1a1a1f;
    --nt-border: #2a2f2c;
    --nt-rule: #1a1f1c;
    --nt-accent: #00ff41;
    --nt-warn: #ffb000;
    --nt-error: #ff6b6b;
    --nt-link: #7cd8ff;
    --nt-accent-fill: #00ff41;
    --nt-warn-fill: #ffb000;
    --nt-error-fill: #ff4444;
    --nt-mark-bg: #3a3000;
    --nt-focus: #00ff41;
  }
  @media (prefers-reduced-motion: no-preference) {
    :host([data-look='phosphor'][data-look]) {
      --nt-glow: 0 0 6px rgb(0 255 65 / 0.35);
    }
  }
`;
