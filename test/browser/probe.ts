/**
 * Bundles test-only entries (and the bench's baseline variant of the webview) with the same
 * esbuild settings as the shipped webview, into test-results, and serves them from the harness.
 */
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { harness, ROOT } from './harness';

/** Builds test/browser/probe/markdownProbe.ts; returns the script URL path to load. */
export async function markdownProbe(): Promise<string> {
  const outdir = join(ROOT, 'test-results', 'browser', 'probe');
  await esbuild.build({
    entryPoints: { markdownProbe: join(ROOT, 'test', 'browser', 'probe', 'markdownProbe.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    outdir,
    logLevel: 'warning',
  });
  (await harness()).mounts.set('probe', outdir);
  return '/probe/markdownProbe.js';
}

/**
 * The webview built with `define`s (e.g. the naive re-render baseline of the bench) into its
 * own folder, mounted as /<name>/; load it with `bundle: name`.
 */
export async function webviewVariant(name: string, define: Record<string, string>): Promise<string> {
  const outdir = join(ROOT, 'test-results', 'browser', `bundle-${name}`);
  await esbuild.build({
    entryPoints: { main: join(ROOT, 'src', 'webview', 'main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    outdir,
    define: { 'process.env.NODE_ENV': '"production"', ...define },
    logLevel: 'warning',
  });
  (await harness()).mounts.set(name, outdir);
  return name;
}
