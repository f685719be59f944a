/**
 * Browser harness for the webview: a static server on 127.0.0.1 (port 0) serving the built
 * webview (dist/webview) inside a page that mirrors VS Code's webview shell — the same strict
 * CSP with a fresh nonce, the theme's `--vscode-*` variables (captured from a real VS Code,
 * see themes/capture.ts) and body classes, VS Code's default webview stylesheet, and a nonce'd
 * `acquireVsCodeApi()` that records posted messages on `window.__posted`. Tests play the host
 * by dispatching messages with `window.postMessage`. Driven by playwright-core + Debian's
 * chromium; no DOM is mocked.
 *
 * Loaded with mocha's `require` so the shared browser is closed after the run.
 */
import * as assert from 'node:assert/strict';
import { contentSecurityPolicy } from '../../src/extension/core/webviewPolicy';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { HostMessage, WebviewMessage } from '../../src/shared/protocol';
import { UPDATE_GAP_MS } from '../../src/webview/controllers/streamBuffer';

export const ROOT = resolve(__dirname, '..', '..');
export const RESULTS_DIR = join(ROOT, 'test-results', 'browser');
const DIST = join(ROOT, 'dist', 'webview');
const THEMES_DIR = join(__dirname, 'themes');
const CHROMIUM = process.env.NT_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export type ThemeName = 'dark' | 'light' | 'highContrast' | 'highContrastLight';

/** Each theme's captured variables and the body classes VS Code sets for it. */
export const THEMES: Record<ThemeName, { file: string; bodyClass: string; kind: string; label: string }> = {
  dark: { file: 'dark-modern.css', bodyClass: 'vscode-dark', kind: 'vscode-dark', label: 'Dark Modern' },
  light: { file: 'light-modern.css', bodyClass: 'vscode-light', kind: 'vscode-light', label: 'Light Modern' },
  highContrast: { file: 'high-contrast.css', bodyClass: 'vscode-high-contrast', kind: 'vscode-high-contrast', label: 'Dark High Contrast' },
  highContrastLight: {
    file: 'high-contrast-light.css',
    bodyClass: 'vscode-high-contrast-light vscode-high-contrast',
    kind: 'vscode-high-contrast-light',
    label: 'Light High Contrast',
  },
};

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

export interface PageOptions {
  theme?: ThemeName;
  width?: number;
  height?: number;
  reducedMotion?: 'reduce' | 'no-preference';
  /** Folder (under the server's mounts) whose main.js is loaded; default the real build. */
  bundle?: string;
  /** A different entry script path (e.g. the markdown probe). */
  script?: string;
}

interface Harness {
  server: Server;
  origin: string;
  browser: Browser;
  /** URL paths requested so far (to check lazy chunks load only on demand). */
  requests: string[];
  /** Extra folders served at /<name>/ (probe and bench bundles). */
  mounts: Map<string, string>;
}

let current: Promise<Harness> | undefined;

export function harness(): Promise<Harness> {
  current ??= start();
  return current;
}

/** Fails fast with a clear message when the bundle is missing or older than its sources. */
function assertBuildIsCurrent(): void {
  const main = join(DIST, 'main.js');
  if (!existsSync(main)) throw new Error('dist/webview/main.js is missing: run `node esbuild.mjs` first');
  const built = statSync(main).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, d) => {
      const p = join(dir, d.name);
      return Math.max(m, d.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  const sources = Math.max(newest(join(ROOT, 'src', 'webview')), newest(join(ROOT, 'src', 'shared')));
  if (sources > built + 1) throw new Error('dist/webview is older than src/webview: run `node esbuild.mjs` first');
}

async function start(): Promise<Harness> {
  assertBuildIsCurrent();
  mkdirSync(RESULTS_DIR, { recursive: true });
  // Serve a private copy: a concurrent `node esbuild.mjs` empties dist/ while it rebuilds.
  const served = join(RESULTS_DIR, 'webview');
  rmSync(served, { recursive: true, force: true });
  cpSync(DIST, served, { recursive: true });
  const requests: string[] = [];
  const mounts = new Map<string, string>([
    ['webview', served],
    ['themes', THEMES_DIR],
  ]);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const html = shellHtml(url.searchParams, `http://${req.headers.host ?? '127.0.0.1'}`);
      res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end(); // a webview has none; keep the console clean
      return;
    }
    const [, mount = '', ...rest] = url.pathname.split('/');
    const base = mounts.get(mount);
    const file = base ? normalize(join(base, ...rest.map(decodeURIComponent))) : undefined;
    if (!base || !file || !(file === base || file.startsWith(base + sep)) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  const origin = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
  return { server, origin, browser, requests, mounts };
}

/** The page VS Code would build (see src/extension/vscode/webviewHtml.ts), plus the host stand-in. */
function shellHtml(params: URLSearchParams, origin: string): string {
  const theme = THEMES[(params.get('theme') as ThemeName | null) ?? 'dark'] ?? THEMES.dark;
  const bundle = params.get('bundle') ?? 'webview';
  const script = params.get('script') ?? `/${bundle}/main.js`;
  const nonce = randomBytes(18).toString('base64');
  // The product's own policy, so the tests run under exactly what users get.
  const csp = contentSecurityPolicy(origin, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Neural Terminal</title>
<link rel="stylesheet" href="/themes/vscode-defaults.css">
<link rel="stylesheet" href="/themes/${theme.file}">
<link rel="stylesheet" href="/webview/codicon.css" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="/webview/webview.css">
<script nonce="${nonce}">
  // Stand-in for the webview host: records what the page posts; state survives reloads like VS Code's.
  window.__posted = [];
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  let state = JSON.parse(sessionStorage.getItem('nt-state') || 'null');
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => state,
      setState: (s) => { state = s; sessionStorage.setItem('nt-state', JSON.stringify(s)); },
    };
  };
</script>
</head>
<body class="${theme.bodyClass}" data-vscode-theme-kind="${theme.kind}" data-vscode-theme-id="${theme.label}">
<nt-app></nt-app>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

export interface PostedMessage {
  type: string;
  [key: string]: unknown;
}

/** One webview page, seen from the host's side. */
export class WebviewPage {
  /** Uncaught errors and console errors of the page (tests assert there are none). */
  readonly errors: string[] = [];

  private constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    readonly h: Harness,
  ) {}

  static async open(options: PageOptions = {}): Promise<WebviewPage> {
    const h = await harness();
    const context = await h.browser.newContext({
      viewport: { width: options.width ?? 420, height: options.height ?? 760 },
      reducedMotion: options.reducedMotion ?? 'no-preference',
      deviceScaleFactor: 1,
    });
    // tsx compiles test code with esbuild's keepNames, which wraps named inner functions of the
    // callbacks we pass to page.evaluate in `__name(...)`; give the page a no-op of it (through
    // DevTools, outside the page's CSP — the app never uses it).
    await context.addInitScript('globalThis.__name = (fn) => fn;');
    const page = await context.newPage();
    const wp = new WebviewPage(page, context, h);
    page.on('pageerror', (e) => wp.errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || process.env.NT_BROWSER_LOG) wp.errors.push(`console.${m.type()}: ${m.text()}`);
    });
    await wp.goto(options);
    return wp;
  }

  async goto(options: PageOptions = {}): Promise<void> {
    const params = new URLSearchParams({ theme: options.theme ?? 'dark', bundle: options.bundle ?? 'webview' });
    if (options.script) params.set('script', options.script);
    await this.page.goto(`${this.h.origin}/?${params}`, { waitUntil: 'load' });
    if (!options.script) await this.waitForPosted((m) => m.type === 'view/ready');
  }

  /** Reloads like a hidden-then-shown webview (view state kept, DOM and data gone). */
  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'load' });
    await this.waitForPosted((m) => m.type === 'view/ready');
  }

  /** Sends a message as the host would. `raw` allows malformed ones. */
  async post(message: HostMessage): Promise<void> {
    await this.postRaw(message);
  }

  async postRaw(message: unknown): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
    // A message event is a task; let it and the render it schedules run.
    await this.settle(isStreamDelta(message));
  }

  /**
   * Waits for pending message tasks, Lit updates and two animation frames. After streamed text
   * (`stream`), first for the gap the stream buffer keeps between two updates (streamBuffer.ts):
   * a delta that arrived just after an update is shown in the first frame after the gap.
   */
  async settle(stream = false): Promise<void> {
    await this.page.evaluate(
      (gap) =>
        new Promise<void>((ok) => {
          setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(ok, 0))), gap);
        }),
      stream ? UPDATE_GAP_MS : 0,
    );
    await this.page.evaluate(async () => {
      const app = document.querySelector('nt-app') as (HTMLElement & { updateComplete?: Promise<unknown> }) | null;
      await app?.updateComplete;
    });
  }

  /**
   * What the page posted, without the `requestId`s: every message must carry one (the
   * protocol's pairing rule, checked here for every test), and tests compare the rest.
   */
  async posted(): Promise<PostedMessage[]> {
    return (await this.postedWithIds()).map(({ requestId, ...rest }) => {
      if (typeof requestId !== 'string' || requestId.length === 0) throw new Error(`posted without a requestId: ${JSON.stringify(rest)}`);
      return rest as PostedMessage;
    });
  }

  /** The `requestId` of the last message of `type` the page posted (to answer it as the host would). */
  async lastRequestId(type: string): Promise<string> {
    const sent = (await this.postedWithIds()).filter((m) => m.type === type).at(-1);
    if (typeof sent?.requestId !== 'string') throw new Error(`no ${type} request with an id was posted`);
    return sent.requestId;
  }

  /** What the page posted, as sent (request ids included), to answer a request as the host would. */
  async postedWithIds(): Promise<Array<PostedMessage & { requestId?: unknown }>> {
    return this.page.evaluate(() => (window as unknown as { __posted: Array<PostedMessage & { requestId?: unknown }> }).__posted);
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => {
      (window as unknown as { __posted: unknown[] }).__posted.length = 0;
    });
  }

  /** Messages of one type the page posted. */
  async postedOf<T extends WebviewMessage['type']>(type: T): Promise<Extract<WebviewMessage, { type: T }>[]> {
    return (await this.posted()).filter((m) => m.type === type) as unknown as Extract<WebviewMessage, { type: T }>[];
  }

  async waitForPosted(predicate: (m: PostedMessage) => boolean, timeoutMs = 10_000): Promise<PostedMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.posted()).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `no matching posted message within ${timeoutMs} ms; got ${JSON.stringify(await this.posted())}; page errors: ${this.errors.join(' | ')}`,
        );
      }
      await this.page.waitForTimeout(25);
    }
  }

  /** Text of a subtree including its shadow roots, with a space at each element boundary. */
  async deepText(selector: string): Promise<string> {
    // Iterative on purpose: tsx would wrap a named inner helper in a `__name` call the page lacks.
    const text = await this.page
      .locator(selector)
      .first()
      .evaluate((root) => {
        const out: string[] = [];
        const stack: (Node | ' ')[] = [root];
        while (stack.length > 0) {
          const node = stack.pop()!;
          if (node === ' ') {
            out.push(' ');
            continue;
          }
          if (node.nodeType === Node.TEXT_NODE) {
            out.push(node.textContent ?? '');
            continue;
          }
          const kids: Node[] = [...(node instanceof Element && node.shadowRoot ? [node.shadowRoot] : []), ...node.childNodes];
          stack.push(' ');
          for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
          if (node instanceof Element) out.push(' ');
        }
        return out.join('');
      });
    return text.replace(/\s+/g, ' ').trim();
  }

  async cspViolations(): Promise<unknown[]> {
    return this.page.evaluate(() => (window as unknown as { __csp: unknown[] }).__csp);
  }

  async screenshot(name: string): Promise<string> {
    const file = join(RESULTS_DIR, `${name}.png`);
    await this.page.screenshot({ path: file, animations: 'disabled' });
    return file;
  }

  /** axe-core on the page, after painting the side bar colour behind the transparent html/body. */
  async axe(tags = ['wcag2a', 'wcag2aa', 'wcag2aaa']): Promise<AxeViolation[]> {
    // axe itself sets inline styles while it measures (blocked by the CSP, harmlessly): its
    // reports are not the page's, so they are dropped from errors and CSP records afterwards.
    const errorsBefore = this.errors.length;
    const cspBefore = await this.page.evaluate(() => (window as unknown as { __csp: unknown[] }).__csp.length);
    const require = createRequire(join(ROOT, 'package.json'));
    const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const loaded = await this.page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
    if (!loaded) await this.page.evaluate(source);
    await this.page.evaluate(() => {
      const cs = getComputedStyle(document.documentElement);
      const bg = cs.getPropertyValue('--vscode-sideBar-background').trim() || cs.getPropertyValue('--vscode-editor-background').trim();
      if (bg) document.documentElement.style.backgroundColor = bg;
    });
    const violations = await this.page.evaluate(
      (values) =>
        (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe
          .run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] })
          .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary, html: n.html })) }))),
      tags,
    );
    await this.page.waitForTimeout(50);
    this.errors.splice(errorsBefore, this.errors.length - errorsBefore, ...this.errors.slice(errorsBefore).filter((e) => !e.includes('Content Security Policy')));
    await this.page.evaluate((n) => {
      (window as unknown as { __csp: unknown[] }).__csp.length = n;
    }, cspBefore);
    return violations;
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string; html: string }[];
}

export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 6).map((n) => `   ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.replace(/\n/g, ' ')).join('\n')}`)
    .join('\n');
}

/** Mocha root hooks: close the shared browser and server after the run. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    const h = await current?.catch(() => undefined);
    current = undefined;
    if (!h) return;
    await h.browser.close().catch(() => {});
    await new Promise<void>((ok) => h.server.close(() => ok()));
  },
};

/**
 * A fresh page for each test of the calling suite, handed to `use`, and closed after the test;
 * the test fails when the page logged an error.
 */
export function pagePerTest(use: (page: WebviewPage) => void): void {
  let page: WebviewPage | undefined;
  beforeEach(async () => {
    page = await WebviewPage.open();
    use(page);
  });
  afterEach(async () => {
    const p = page;
    page = undefined;
    if (!p) return;
    assert.deepEqual(p.errors, [], 'the page logged errors');
    await p.close();
  });
}

/** A `chat/stream` delta: the page shows it within the stream buffer's gap, not the next frame. */
function isStreamDelta(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'chat/stream';
}
