/**
 * One Vite config, three builds (selected with --mode):
 *  - default ("production"/"development"): the React renderer -> dist/renderer
 *  - "node": the CLI and the web host for plain Node -> dist/node (dependencies stay external)
 *  - "electron": the Electron main process (ESM) and the sandboxed preload (one CJS file) -> dist/electron
 */
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { builtinModules } from 'node:module';
import pkg from './package.json' with { type: 'json' };
import { settingsRulesFingerprintAt } from './main/core/storage/settings-rules.ts';

/**
 * The fingerprint of the settings rules (main/core/storage/settings-rules.ts), computed once per
 * build and written into the bundles so a running Patchbay never hashes its own sources.
 */
const settingsRulesDefine = {
  __PATCHBAY_SETTINGS_RULES__: JSON.stringify(settingsRulesFingerprintAt(import.meta.dirname)),
};

const nodeExternals = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies),
  ...Object.keys(pkg.devDependencies),
];
const isExternal = (id: string) => nodeExternals.some((name) => id === name || id.startsWith(`${name}/`));

/**
 * The renderer's CSP as a <meta> tag, added to built pages only (Vite's dev server needs an inline
 * preamble script). The web host also sends it as a header, with frame-ancestors, which a meta tag
 * cannot carry; the Electron host loads the built file and gets the meta tag.
 */
const rendererCsp =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";
const cspMeta: Plugin = {
  name: 'patchbay-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: rendererCsp }, injectTo: 'head-prepend' },
  ],
};

function rendererConfig(): UserConfig {
  return {
    root: 'renderer',
    base: './',
    plugins: [react(), cspMeta],
    build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: false },
  };
}

/**
 * Dependencies bundled into the node build instead of loaded from node_modules at run time: zod
 * is pure ESM spread over dozens of files, and resolving, reading and compiling each one at every
 * start costs `patchbay status` more than the rest of its work. Bundled, it is one tree-shaken chunk.
 * fastest-levenshtein is CommonJS: imported from ESM at run time, Node first starts its CommonJS
 * export scanner (cjs-module-lexer, WebAssembly) for it, ~12 ms of every start; bundled, it is
 * plain ESM. (keytar is native and stays external; the vault loads it with require, see
 * main/core/storage/keychain-entries.ts.)
 */
const nodeBundled = new Set(['zod', 'fastest-levenshtein']);
const nodeExternal = (id: string) => !nodeBundled.has(id.split('/')[0] ?? id) && isExternal(id);

function nodeConfig(): UserConfig {
  return {
    define: settingsRulesDefine,
    ssr: { noExternal: [...nodeBundled] },
    build: {
      ssr: true,
      target: 'node22',
      outDir: 'dist/node',
      emptyOutDir: true,
      rollupOptions: {
        input: { patchbay: 'main/cli/patchbay.ts', web: 'main/web/server.ts' },
        external: nodeExternal,
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  };
}

/**
 * Electron bundles (owned by the Electron host work). `vite build --mode electron` writes both:
 *  - dist/electron/main.js: the main process, ESM (package.json "type": "module"), Node 22 target;
 *    dependencies and `electron` stay external (keytar is native, electron-store resolves at run time).
 *  - dist/electron/preload.cjs: the sandboxed preload, ONE CommonJS file with everything inlined
 *    except `electron` — a sandboxed preload can neither load ESM nor require other files.
 * The preload is a second build started when the main build closes, so one command makes both.
 */
const electronMainExternal = (id: string) => id === 'electron' || isExternal(id);

/** Builds the preload next to main.js (same outDir) once the main build has been written. */
function electronPreloadBuild(): Plugin {
  let outDir = 'dist/electron';
  return {
    name: 'patchbay-electron-preload',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      const { build } = await import('vite');
      await build({
        configFile: false,
        logLevel: 'warn',
        build: {
          outDir,
          emptyOutDir: false,
          target: 'chrome140',
          minify: false,
          sourcemap: false,
          lib: { entry: 'preload/index.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
          rollupOptions: { external: ['electron'] },
        },
      });
    },
  };
}

function electronConfig(): UserConfig {
  return {
    define: settingsRulesDefine,
    plugins: [electronPreloadBuild()],
    build: {
      ssr: true,
      target: 'node22',
      outDir: 'dist/electron',
      emptyOutDir: true,
      sourcemap: false,
      rollupOptions: {
        input: { main: 'main/electron/index.ts' },
        external: electronMainExternal,
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  };
}

export default defineConfig(({ mode }) => {
  if (mode === 'node') return nodeConfig();
  if (mode === 'electron') return electronConfig();
  return rendererConfig();
});
