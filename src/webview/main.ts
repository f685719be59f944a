/**
 * Webview entry: defines the custom elements and starts the handshake.
 * Runs under a strict CSP: no inline scripts or styles; Lit uses constructable
 * stylesheets, which the CSP allows.
 */
import { HostBridge } from './hostBridge';
import type { NtApp } from './app';
import './app'; // registers <nt-app> (a type-only import would be dropped by the bundler)
import { PROTOCOL_VERSION } from '../shared/protocol';
import { warmUpMarkdown } from './markdown/warmUp';

const bridge = new HostBridge(window);
const app = document.querySelector<NtApp>('nt-app');
if (app) app.bridge = bridge;
void bridge.request({ type: 'view/ready', protocolVersion: PROTOCOL_VERSION });

/**
 * The fan-out bench's cold baseline defines NT_BENCH_COLD_MARKDOWN to skip the warm-up; in the
 * shipped bundle the name is undefined.
 */
declare const NT_BENCH_COLD_MARKDOWN: boolean | undefined;
if (typeof NT_BENCH_COLD_MARKDOWN === 'undefined' || NT_BENCH_COLD_MARKDOWN !== true) void warmUpMarkdown();
