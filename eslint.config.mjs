// Lint rules: typescript-eslint's recommended set, plus the layering rules. Layers, lowest
// first, each importing only downwards (docs/architecture.md):
//   src/shared → extension/base → extension/openrouter, extension/storage → extension/core
//   → extension/vscode + extension.ts;  src/webview talks to the host only through src/shared.
// Only extension/vscode and extension.ts may import the editor API.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const EDITOR_API = { name: 'vscode', message: 'This layer must stay free of the editor API; pass what you need in.' };

/** An import path naming any of these folders (or the extension entry) is an upward or sideways import. */
function forbid(layer, folders, why) {
  return {
    regex: `(^|/)(${folders.join('|')})(/|$)`,
    message: `${layer} must not import from ${folders.join(', ')}: ${why}`,
  };
}

const ENTRY = { regex: '(^|/)extension$', message: 'Only the editor runtime loads the extension entry.' };

/** One block per layer, each naming what it may not import. */
const layers = [
  {
    files: ['src/shared/**'],
    patterns: [forbid('src/shared', ['extension', 'webview'], 'it is the bottom layer both runtimes share.')],
  },
  {
    files: ['src/extension/base/**'],
    patterns: [forbid('base', ['core', 'openrouter', 'storage', 'vscode', 'webview'], 'it sits below every other host layer.'), ENTRY],
  },
  {
    files: ['src/extension/openrouter/**'],
    patterns: [forbid('openrouter', ['core', 'storage', 'vscode', 'webview'], 'it may use only base and shared; core declares ports it implements.'), ENTRY],
  },
  {
    files: ['src/extension/storage/**'],
    patterns: [forbid('storage', ['core', 'openrouter', 'vscode', 'webview'], 'it may use only base and shared; core declares ports it implements.'), ENTRY],
  },
  {
    files: ['src/extension/core/**'],
    patterns: [forbid('core', ['vscode', 'webview'], 'the editor adapters depend on core, not the reverse.'), ENTRY],
  },
  {
    files: ['src/extension/vscode/**', 'src/extension/extension.ts'],
    patterns: [forbid('the host', ['webview'], 'the view is a separate bundle reached only through src/shared/protocol.')],
    editorApi: true,
  },
  {
    // The intent handlers get the editor's actions passed in, so unit tests load them without it.
    files: ['src/extension/vscode/intents/**'],
    patterns: [forbid('the host', ['webview'], 'the view is a separate bundle reached only through src/shared/protocol.')],
  },
  {
    files: ['src/webview/**'],
    patterns: [forbid('the webview', ['extension'], 'it talks to the host only through src/shared/protocol.')],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.nt-run/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly',
        window: 'readonly', document: 'readonly', performance: 'readonly', TextDecoder: 'readonly',
        TextEncoder: 'readonly', AbortController: 'readonly', fetch: 'readonly', structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-control-regex': 'off',
    },
  },
  ...layers.map(({ files, patterns, editorApi }) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', { paths: editorApi ? [] : [EDITOR_API], patterns }],
    },
  })),
);
