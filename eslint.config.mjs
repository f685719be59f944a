// Lint rules: typescript-eslint's recommended set, plus the layering rule that keeps
// the editor API out of the vscode-free rooms (core, openrouter, storage, shared, webview).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeFree = ['src/extension/core/**', 'src/extension/openrouter/**', 'src/extension/storage/**', 'src/shared/**', 'src/webview/**'];

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
  {
    files: vscodeFree,
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'This layer must stay free of the editor API; pass what you need in.' }] }],
    },
  },
);
