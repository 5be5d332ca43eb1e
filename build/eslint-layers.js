/**
 * A local ESLint rule that enforces an import matrix between the repo's folders (layers).
 *
 * In the spirit of VS Code's layering rule: each layer lists the folders and files it may import
 * and the packages it must not; everything else is an error that names both ends and the reason.
 * Specifiers are resolved against the importing file, so `../../sandbox/index` and
 * `../sandbox/index` are judged by where they land, not by how they are spelt. Static imports,
 * `export … from` and `import('…')` with a literal are all checked.
 *
 * Options: `{ layers: Layer[] }` where a Layer is
 *   { layer: 'main/core', reason: '…', may: ['main/core', 'preload/contract'],
 *     typeOnly?: ['preload/contract'], denyModules?: ['electron', 'node:*'] }
 * `may` and `typeOnly` are repo-relative folders or files (without extension); `node:*` in
 * `denyModules` stands for every Node built-in, with or without the `node:` prefix.
 */
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Repo-relative, forward slashes, no source extension. */
function repoPath(absolute) {
  return path
    .relative(ROOT, absolute)
    .split(path.sep)
    .join('/')
    .replace(/\.(d\.ts|tsx|ts|mjs|js)$/, '');
}

function inside(target, entry) {
  return target === entry || target.startsWith(`${entry}/`);
}

/** The package a bare specifier names (`@scope/pkg/sub` -> `@scope/pkg`). */
function packageName(specifier) {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function moduleDenied(name, deny) {
  return deny.some((d) => (d === 'node:*' ? BUILTINS.has(name) : d === name));
}

/** True when the import or re-export brings in types only. */
function typeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only what the import matrix in eslint.config.js allows.' },
    schema: [
      { type: 'object', properties: { layers: { type: 'array' } }, required: ['layers'], additionalProperties: false },
    ],
    messages: {
      folder: '{{from}} may not import {{target}} ("{{specifier}}"). {{reason}}',
      typeOnly: '{{from}} may import only types from {{target}} ("{{specifier}}"); use `import type`. {{reason}}',
      module: '{{from}} may not import the package "{{specifier}}". {{reason}}',
    },
  },
  create(context) {
    const file = repoPath(context.filename);
    const layer = context.options[0].layers.find((l) => inside(file, l.layer));
    if (!layer) return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const specifier = source.value;
      const data = { from: layer.layer, specifier, reason: layer.reason };
      if (!specifier.startsWith('.')) {
        if (moduleDenied(packageName(specifier), layer.denyModules ?? []))
          context.report({ node: source, messageId: 'module', data });
        return;
      }
      const target = repoPath(path.resolve(path.dirname(context.filename), specifier));
      if (layer.may.some((entry) => inside(target, entry))) return;
      if ((layer.typeOnly ?? []).some((entry) => inside(target, entry))) {
        if (!typeOnly(node)) context.report({ node: source, messageId: 'typeOnly', data: { ...data, target } });
        return;
      }
      context.report({ node: source, messageId: 'folder', data: { ...data, target } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : null),
    };
  },
};

export default { rules: { imports: importsRule } };
