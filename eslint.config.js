// Lint: TypeScript rules plus the import matrix between layers (VS Code's layering idea),
// enforced by build/eslint-layers.js. Each layer says what it may import; anything else fails
// `npm run lint`. The matrix is the picture in docs/architecture.md.
import tseslint from 'typescript-eslint';
import layers from './build/eslint-layers.js';

const NO_UI = ['react', 'react-dom'];
const LAYERS = [
  {
    layer: 'main/core',
    reason:
      'The core is the pure Node engine every host shares: it imports no host, no Sandbox, no Electron and no UI; hosts pass what it needs in (CoreOptions).',
    may: ['main/core', 'preload/contract'],
    denyModules: ['electron', ...NO_UI],
  },
  {
    layer: 'main/sandbox',
    reason:
      "The Sandbox is a provider server built on the core's model (errors, config); it imports no host and not the engine.",
    may: ['main/sandbox', 'main/core/model'],
    denyModules: ['electron', ...NO_UI],
  },
  {
    layer: 'main/host',
    reason:
      'The host layer is what every long-running host does, written once: it uses the core and the contract, never a particular host, Electron or UI.',
    may: ['main/host', 'main/core', 'preload/contract', 'preload/attention'],
    denyModules: ['electron', ...NO_UI],
  },
  {
    layer: 'main/cli',
    reason:
      'The CLI is a host: it uses the core, the Sandbox, the contract and the shared action-slot filler, never another host.',
    may: ['main/cli', 'main/core', 'main/sandbox', 'preload/contract', 'preload/action-words', 'package.json'],
    denyModules: ['electron', ...NO_UI],
  },
  {
    layer: 'main/web',
    reason: 'The web host uses the core, the Sandbox starter and the contract, never another host.',
    may: [
      'main/web',
      'main/host',
      'main/core',
      'main/sandbox',
      'preload/contract',
      'preload/web-transport',
      'package.json',
    ],
    denyModules: ['electron', ...NO_UI],
  },
  {
    layer: 'main/electron',
    reason: 'The Electron host uses the core, the Sandbox starter and the contract, never another host.',
    may: ['main/electron', 'main/host', 'main/core', 'main/sandbox', 'preload/contract', 'package.json'],
    denyModules: NO_UI,
  },
  {
    layer: 'preload',
    reason:
      'The contract is import-free so the sandboxed preload bundle stays tiny; the preload needs only electron and the contract.',
    may: ['preload'],
    denyModules: NO_UI,
  },
  {
    layer: 'renderer',
    reason:
      'The renderer is a sandboxed page: it talks to main only through window.patchbay, so it imports contract types, the web transport, the shared action-slot filler and the shared "needs you" rule, no main/ code, no Electron and no Node modules.',
    may: ['renderer', 'preload/web-transport', 'preload/action-words', 'preload/attention'],
    typeOnly: ['preload/contract'],
    denyModules: ['electron', 'node:*'],
  },
];

/**
 * zod comes only from main/core/model/zod.ts, which is `zod/mini` with English messages. Classic
 * zod (`zod`, `zod/v4`, …) hangs every method on every schema class, so no bundler can trim it:
 * it made the node build's zod chunk 188 KB and cost every CLI start tens of milliseconds.
 * Importing `zod/mini` elsewhere would skip the English locale that module installs.
 */
const ZOD_MESSAGE =
  'Import { z } from main/core/model/zod (zod/mini with English messages), not classic zod: classic zod cannot be tree-shaken and slows every CLI start; zod/mini elsewhere would skip the English messages.';
const NO_ZOD_DYNAMIC = {
  selector: 'ImportExpression[source.value=/^zod($|\\/)/]',
  message: ZOD_MESSAGE,
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
    files: ['main/**', 'preload/**', 'renderer/**'],
    plugins: { layers },
    rules: { 'layers/imports': ['error', { layers: LAYERS }] },
  },
  {
    // Promise handling, type-aware: a promise nobody awaits or catches loses its rejection (an
    // unhandled rejection, or an error the user never hears about), and a promise passed where a
    // void callback is expected (an event handler, forEach) is dropped the same way.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['main/**', 'preload/**'],
    ignores: ['main/electron/ipc.ts', 'preload/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[object.name=/^ipc(Main|Renderer)$/][property.name=/^(handle|on|invoke|send)$/]',
          message: 'Use the typed wrappers (main/electron/ipc.ts, preload/index.ts), never raw ipcMain/ipcRenderer.',
        },
        NO_ZOD_DYNAMIC,
      ],
    },
  },
  {
    // The two files the block above leaves out still get the zod rule.
    files: ['main/electron/ipc.ts', 'preload/index.ts'],
    rules: { 'no-restricted-syntax': ['error', NO_ZOD_DYNAMIC] },
  },
  {
    files: ['main/**', 'preload/**', 'renderer/**', 'test/**'],
    ignores: ['main/core/model/zod.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^zod(/.*)?$', message: ZOD_MESSAGE }] }] },
  },
  {
    files: ['main/core/model/zod.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^zod(?!/mini$)(/.*)?$', message: ZOD_MESSAGE }] }],
    },
  },
);
