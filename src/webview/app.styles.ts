/** Styles of <nt-app> (app.ts): the terminal shell, the header bar, the bento grid and the drawers' frame. */
import { css } from 'lit';
import { glowHeading, headerRow, sharedStyles } from './styles/shared';
import { terminalTokens } from './styles/tokens';
import { cursorBlock, cursorKeyframes } from './styles/cursor';

export const appStyles = [
  terminalTokens,
  sharedStyles,
  css`
    :host {
      display: block;
      height: 100vh;
      color: var(--nt-fg);
      background: var(--nt-bg);
      font-family: var(--nt-font-data);
      font-size: var(--nt-font-size);
      container: app / inline-size;
    }
    :host([data-placement='editor']) {
      --nt-placement: editor;
    }
    .app {
      position: relative;
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: auto minmax(0, 1fr);
      grid-template-areas: 'bar' 'main';
      height: 100%;
      overflow: hidden;
    }
    /* Phosphor: faint scanlines over the whole terminal, only when motion is welcome. */
    @media (prefers-reduced-motion: no-preference) {
      :host([data-look='phosphor']) .app::after {
        content: '';
        position: absolute;
        inset: 0;
        pointer-events: none;
        background: repeating-linear-gradient(to bottom, transparent 0 2px, rgb(0 0 0 / 0.18) 2px 3px);
        z-index: 5;
      }
    }
    .bar {
      grid-area: bar;
      ${headerRow}
      padding: 3px var(--nt-gap-sm) 3px var(--nt-gap-md);
    }
    .brand {
      flex: none;
      font-size: 0.82em;
      ${glowHeading}
      letter-spacing: 0.18em;
    }
    .title {
      min-width: 0;
      flex: 1;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-size: 0.86em;
      color: var(--nt-fg);
    }
    .title .slash {
      color: var(--nt-dim);
    }
    .local {
      flex: none;
      font-size: 0.75em;
      letter-spacing: 0.1em;
      color: var(--nt-warn);
      border: 1px solid currentColor;
      padding: 0 4px;
      border-radius: 2px;
    }
    .tools {
      flex: none;
      display: flex;
      gap: 1px;
    }
    .tools .tbtn {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      font-size: 0.82em;
      padding: 1px 5px;
      color: var(--nt-fg);
    }
    .tools .tbtn[aria-expanded='true'] {
      color: var(--nt-accent);
      background: var(--nt-surface);
      border-color: var(--nt-border);
    }
    vscode-icon {
      color: inherit;
    }
    @container app (max-width: 420px) {
      .tools .lbl {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
    }
    main {
      grid-area: main;
      display: flex;
      flex-direction: column;
      min-height: 0;
      min-width: 0;
    }
    nt-transcript {
      flex: 1;
    }
    .rail {
      display: none;
      min-height: 0;
      overflow-y: auto;
      border-left: 1px solid var(--nt-border);
      padding: var(--nt-gap-sm) var(--nt-gap-md);
    }
    .rail.telemetry {
      grid-area: tele;
    }
    .rail.model {
      grid-area: rail;
      font-size: 0.86em;
    }
    /* Wide: the seed's bento grid, ~70 / 20 / 10. */
    @container app (min-width: 900px) or style(--nt-placement: editor) {
      .app {
        grid-template-columns: minmax(0, 7fr) minmax(230px, 2fr) minmax(150px, 1fr);
        grid-template-areas: 'bar bar bar' 'main tele rail';
      }
      .rail {
        display: block;
      }
      .strip,
      .wide-hidden {
        display: none;
      }
    }
    /* One drawer frame, always from the left over the body row (never the bar, whose buttons
       toggle it): the whole width in the sidebar, a panel in the wide layout. */
    .drawer {
      grid-row: 2;
      grid-column: 1 / -1;
      justify-self: stretch;
      z-index: 10;
      width: 100%;
      min-width: 0;
      background: var(--nt-bg);
      outline: 1px solid var(--nt-contrast-border);
      outline-offset: -1px;
    }
    .drawer:focus {
      outline: 2px solid var(--nt-focus);
      outline-offset: -2px;
    }
    @container app (min-width: 900px) or style(--nt-placement: editor) {
      .drawer {
        justify-self: start;
        width: min(420px, 100%);
        border-right: 1px solid var(--nt-border);
        box-shadow: var(--nt-shadow);
      }
    }
    .drawer .pad {
      padding: var(--nt-gap-sm) var(--nt-gap-md);
    }
    .modes {
      display: flex;
      align-items: baseline;
      gap: var(--nt-gap-xs);
      padding-top: var(--nt-gap-md);
      font-size: 0.86em;
    }
    .rail h2 {
      margin: 0 0 var(--nt-gap-sm);
      font-size: 1em;
      ${glowHeading}
      letter-spacing: 0.16em;
    }
    .rail dl {
      margin: 0;
    }
    .rail dt {
      margin-top: var(--nt-gap-sm);
    }
    .rail dd {
      margin: 0;
      overflow-wrap: break-word;
      color: var(--nt-fg);
    }
    .rail .tbtn {
      margin-top: var(--nt-gap-xs);
      border-color: var(--nt-border);
    }
    .welcome {
      margin: 0;
      line-height: 1.7;
    }
    .welcome .prompt {
      color: var(--nt-accent);
      text-shadow: var(--nt-glow);
    }
    .welcome .key {
      display: inline-block;
      min-width: 9ch;
      color: var(--nt-dim);
    }
    .welcome .cursor {
      ${cursorBlock}
    }
    .welcome vscode-button {
      margin-top: var(--nt-gap-md);
      --vscode-button-background: var(--nt-accent);
      --vscode-button-hoverBackground: color-mix(in oklab, var(--nt-accent) 88%, var(--nt-fg));
      --vscode-button-foreground: var(--nt-bg);
      --vscode-font-family: var(--nt-font-data);
    }
    ${cursorKeyframes}
    @media (prefers-reduced-motion: reduce) {
      .welcome .cursor {
        animation: none;
      }
    }
  `,
];
