/**
 * The HTML shell every Neural Terminal webview loads: a strict Content-Security-Policy
 * (nothing by default; only our nonce'd module script, our stylesheets and fonts from
 * the extension's dist folder), resources through `asWebviewUri`.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { contentSecurityPolicy } from '../core/webviewPolicy';

export interface ShellOptions {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  /** Document title (axe requires one; screen readers announce it). */
  title: string;
}

export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function renderShell({ webview, extensionUri, title }: ShellOptions): string {
  const asset = (...parts: string[]) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', ...parts)).toString();
  const nonce = createNonce();
  const csp = contentSecurityPolicy(webview.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('webview.css')}">
</head>
<body>
<nt-app></nt-app>
<noscript>Neural Terminal needs JavaScript enabled in webviews.</noscript>
<script type="module" nonce="${nonce}" src="${asset('main.js')}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
