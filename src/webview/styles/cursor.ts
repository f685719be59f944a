/**
 * The terminal's blinking block cursor, shared by the welcome prompt (app.styles.ts) and a
 * streaming reply (entry.styles.ts): the declarations go inside each selector, the keyframes
 * into each shadow root's styles.
 */
import { css } from 'lit';

/** The block itself, without the blink. */
export const cursorShape = css`
  display: inline-block;
  width: 0.55em;
  height: 1.05em;
  vertical-align: text-bottom;
  background: var(--nt-accent);
`;

export const cursorBlink = css`
  animation: nt-blink 1.06s steps(1) infinite;
`;

export const cursorBlock = css`
  ${cursorShape}
  ${cursorBlink}
`;

export const cursorKeyframes = css`
  @keyframes nt-blink {
    50% {
      opacity: 0;
    }
  }
`;
