/**
 * Questions only the host may ask: every confirmation that guards a change the user
 * must agree to (delete, open a link, write into an editor, trust an endpoint) is a
 * modal dialog shown by the host, never a flag the webview sets. Tests in the extension
 * host cannot click a modal, so the test API may install an answerer; every question
 * is recorded either way, so a test proves the host asked before anything changed.
 */
import * as vscode from 'vscode';

export interface Question {
  /** Short, one-line question. */
  message: string;
  /** Longer text under it (already escaped for display). */
  detail?: string;
  /** Label of the button that agrees. */
  confirm: string;
  /** Machine kind, for tests and logs ("delete", "openLink"...). */
  kind: string;
}

export type Answerer = (question: Question) => Promise<boolean> | boolean;

const KEEP = 50;

export class HostDialogs {
  private answerer: Answerer | undefined;
  private readonly log: Question[] = [];

  /** Asks the user; true only when they pressed the `confirm` button. */
  async confirm(question: Question): Promise<boolean> {
    this.log.push(question);
    if (this.log.length > KEEP) this.log.splice(0, this.log.length - KEEP);
    if (this.answerer) return this.answerer(question);
    const choice = await vscode.window.showWarningMessage(
      question.message,
      { modal: true, ...(question.detail ? { detail: question.detail } : {}) },
      question.confirm,
    );
    return choice === question.confirm;
  }

  /** The questions asked so far, oldest first (test API). */
  asked(): readonly Question[] {
    return [...this.log];
  }

  /** Replaces the modal with `answerer` (test API only; undefined restores the modal). */
  answerWith(answerer: Answerer | undefined): void {
    this.answerer = answerer;
  }
}
