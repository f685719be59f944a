/**
 * `@terminal`: the active terminal's recent commands and their output. The editor gives an
 * extension a command's output only while it runs, through the shell integration API, so a
 * recorder started at activation keeps the last few runs of each terminal (bounded). Where
 * the terminal has no shell integration, the source says so instead of guessing.
 */
import * as vscode from 'vscode';
import type { SourceOutcome } from './source';

interface Run {
  readonly command: string;
  output: string;
  exitCode?: number;
}

/** Runs kept per terminal, and characters kept per run (the end of long output). */
const MAX_RUNS = 10;
const MAX_RUN_CHARS = 20_000;
/** CSI/OSC escape sequences: colours, cursor moves, shell-integration marks. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export class TerminalRecorder implements vscode.Disposable {
  private readonly runs = new Map<vscode.Terminal, Run[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.window.onDidStartTerminalShellExecution((e) => void this.record(e.terminal, e.execution)),
      vscode.window.onDidEndTerminalShellExecution((e) => {
        const run = this.runs.get(e.terminal)?.find((r) => r.command === e.execution.commandLine.value && r.exitCode === undefined);
        if (run && e.exitCode !== undefined) run.exitCode = e.exitCode;
      }),
      vscode.window.onDidCloseTerminal((t) => this.runs.delete(t)),
    );
  }

  private async record(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    const run: Run = { command: execution.commandLine.value, output: '' };
    const list = this.runs.get(terminal) ?? [];
    list.push(run);
    if (list.length > MAX_RUNS) list.shift();
    this.runs.set(terminal, list);
    try {
      for await (const chunk of execution.read()) {
        run.output = (run.output + chunk).slice(-MAX_RUN_CHARS * 2);
      }
    } catch {
      // A terminal closed mid-run: keep what arrived.
    }
  }

  /** The attachment for the active terminal. */
  source(): SourceOutcome {
    const terminal = vscode.window.activeTerminal;
    if (!terminal) return { ok: false, message: 'No terminal is open. Open one and run a command, then attach it.' };
    const runs = this.runs.get(terminal) ?? [];
    if (runs.length === 0) {
      return {
        ok: false,
        message: terminal.shellIntegration
          ? `Nothing has run in the terminal “${terminal.name}” since Neural Terminal started. Run the command again, then attach it.`
          : `The terminal “${terminal.name}” has no shell integration, so its output cannot be read. Use a shell the editor integrates with (bash, zsh, fish, PowerShell) with terminal.integrated.shellIntegration.enabled on, run the command again, then attach it.`,
      };
    }
    const text = runs.map(formatRun).join('\n\n');
    return { ok: true, draft: { kind: 'terminal', label: `Terminal ${terminal.name} (last ${runs.length} command${runs.length === 1 ? '' : 's'})`, text, language: 'console' } };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.runs.clear();
  }
}

export function formatRun(run: Pick<Run, 'command' | 'output' | 'exitCode'>): string {
  let output = run.output.replace(ANSI, '').replace(/\r\n?/g, '\n');
  if (output.length > MAX_RUN_CHARS) output = `[… ${output.length - MAX_RUN_CHARS} characters before]\n${output.slice(-MAX_RUN_CHARS)}`;
  const status = run.exitCode === undefined ? '' : ` (exit ${run.exitCode})`;
  return `$ ${run.command}${status}\n${output.trimEnd()}`;
}
