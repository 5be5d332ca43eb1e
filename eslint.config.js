// Lint: TypeScript rules plus the import boundaries from STYLE.md (VS Code's "layers" idea):
// main/core, main/cli, main/sandbox and main/web run in plain Node and never import electron;
// the renderer imports no electron, no node:* and nothing from main/.
import tseslint from 'typescript-eslint';

const nodeOnly = {
  paths: [{ name: 'electron', message: 'This folder runs without Electron (CLI, web host, tests). Put Electron code in main/electron.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['main/cli/**', 'main/sandbox/**', 'main/web/**'],
    rules: { 'no-restricted-imports': ['error', nodeOnly] },
  },
  // Layers: core knows no host; the host layer (what every host does) knows the core, never a
  // particular host or Electron.
  {
    files: ['main/core/**'],
    rules: {
      'no-restricted-imports': ['error', {
        ...nodeOnly,
        patterns: [{ group: ['**/host/*', '**/web/*', '**/electron/*', '**/cli/*'], message: 'main/core imports no host.' }],
      }],
    },
  },
  {
    files: ['main/host/**'],
    rules: {
      'no-restricted-imports': ['error', {
        ...nodeOnly,
        patterns: [{ group: ['**/web/*', '**/electron/*', '**/cli/*'], message: 'main/host is shared by every host: it imports main/core only.' }],
      }],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer talks to main only through window.patchbay (preload/contract.ts).' }],
        patterns: [
          { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node modules.' },
          { group: ['**/main/**', '../main/*', '../../main/*'], message: 'The renderer may import only types from preload/contract.ts.' },
        ],
      }],
    },
  },
  {
    files: ['main/**', 'preload/**'],
    ignores: ['main/electron/ipc.ts', 'preload/index.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "MemberExpression[object.name=/^ipc(Main|Renderer)$/][property.name=/^(handle|on|invoke|send)$/]",
        message: 'Use the typed wrappers (main/electron/ipc.ts, preload/index.ts), never raw ipcMain/ipcRenderer.',
      }],
    },
  },
);
