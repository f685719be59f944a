/**
 * The layering rule is only worth something if lint fails on an upward import: this
 * lints small sources as if they lived in each layer, with the repo's own eslint config,
 * and checks which imports are refused (see eslint.config.mjs and docs/architecture.md).
 */
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

/** The messages the layer rule gives for `import '<target>'` written in `file`. */
async function layerErrors(file: string, target: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import '${target}';\n`, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const refused: Array<[file: string, target: string]> = [
  ['src/shared/x.ts', '../extension/base/logger'],
  ['src/shared/x.ts', '../webview/format'],
  ['src/extension/base/x.ts', '../core/ports'],
  ['src/extension/base/x.ts', '../openrouter/http'],
  ['src/extension/base/x.ts', 'vscode'],
  ['src/extension/openrouter/x.ts', '../core/orchestrator'],
  ['src/extension/openrouter/x.ts', '../storage/types'],
  ['src/extension/storage/x.ts', '../core/ports'],
  ['src/extension/storage/x.ts', '../openrouter/types'],
  ['src/extension/core/x.ts', '../vscode/log'],
  ['src/extension/core/x.ts', '../extension'],
  ['src/extension/core/x.ts', 'vscode'],
  ['src/extension/vscode/x.ts', '../../webview/format'],
  ['src/extension/vscode/intents/x.ts', 'vscode'],
  ['src/extension/vscode/intents/x.ts', '../../../webview/format'],
  ['src/webview/x.ts', '../extension/core/viewModel'],
  ['src/webview/components/x.ts', 'vscode'],
];

const allowed: Array<[file: string, target: string]> = [
  ['src/extension/base/x.ts', '../../shared/money'],
  ['src/extension/openrouter/x.ts', '../base/clock'],
  ['src/extension/storage/x.ts', '../../shared/money'],
  ['src/extension/core/x.ts', '../openrouter/types'],
  ['src/extension/core/x.ts', '../storage/types'],
  ['src/extension/vscode/x.ts', 'vscode'],
  ['src/extension/vscode/x.ts', '../core/orchestrator'],
  ['src/extension/vscode/intents/x.ts', '../../core/orchestrator'],
  ['src/webview/x.ts', '../shared/protocol'],
];

describe('layering lint rule', function () {
  this.timeout(60_000);

  for (const [file, target] of refused) {
    it(`refuses ${target} from ${file}`, async () => {
      assert.notDeepEqual(await layerErrors(file, target), []);
    });
  }

  for (const [file, target] of allowed) {
    it(`allows ${target} from ${file}`, async () => {
      assert.deepEqual(await layerErrors(file, target), []);
    });
  }
});
