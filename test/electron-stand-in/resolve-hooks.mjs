/**
 * Resolve hook (Node's module customization hooks, `resolve(specifier, context, nextResolve)`):
 * `electron` becomes the stand-in's module.ts; everything else resolves as usual.
 */
let target = '';

export function initialize(data) {
  target = data.target;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier === 'electron/main') {
    return { url: target, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
