import type { Browser, BrowserContext, Page } from 'playwright-core';

export declare const EXTENSION_ID: string;
export declare const CHROMIUM_ARGS: string[];
export declare const DEFAULT_SETTINGS: Record<string, unknown>;

export interface Run {
  name: string;
  dir: string;
  userData: string;
  extensions: string;
  xdgConfig: string;
  xdgData: string;
  xdgCache: string;
  tmp: string;
  workspace: string;
  settingsFile: string;
  /** code-server's remote (Machine) settings: machine-scoped settings are read from here. */
  machineSettingsFile: string;
  logFile: string;
}

export interface Payload {
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
}

export interface CodeServer {
  run: Run;
  port: number;
  url: string;
  pid: number;
  startedMs: number;
  exited: Promise<{ code: number | null; sig: string | null }>;
  workbenchUrl(payload?: Payload): string;
  stop(): Promise<void>;
}

export declare function killGroup(pid: number, graceMs?: number): Promise<void>;
export declare function trackGroup(pid: number, name?: string): () => void;
export declare function onCleanup(fn: () => unknown): () => void;
export declare function installSignalHandlers(): void;
export declare function cleanEnv(run?: Run, extra?: Record<string, string>): Record<string, string>;
export declare function createRun(
  name: string,
  opts?: { settings?: Record<string, unknown>; workspace?: string; keep?: boolean },
): Run;
export declare function writeSettings(run: Run, settings: Record<string, unknown>): void;
export declare function readSettings(run: Run): Record<string, unknown>;
export declare function freePort(): Promise<number>;
export declare function startCodeServer(
  run: Run,
  opts?: { env?: Record<string, string>; timeoutMs?: number; port?: number; host?: string; quiet?: boolean },
): Promise<CodeServer>;
export declare function workbenchUrl(port: number, workspace: string, payload?: Payload, host?: string): string;
export declare function launchBrowser(run: Run, opts?: { headless?: boolean; timeoutMs?: number }): Promise<Browser>;
export declare function newAutomationPage(
  browser: Browser,
  opts?: { onLog?: (level: string, msg: string) => void; viewport?: { width: number; height: number } },
): Promise<{ context: BrowserContext; page: Page; exit: Promise<number> }>;
export declare function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T>;
