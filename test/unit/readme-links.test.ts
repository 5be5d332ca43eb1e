/**
 * The README and docs/ link only to files inside the repository that exist: a reader of a fresh
 * clone never meets a link into a sibling folder, a machine path or a page that needs the internet.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FILES = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Targets of Markdown links and images, and of reference-style `[text]: target` lines. */
function linkTargets(markdown: string): string[] {
  const inline = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? '');
  const reference = [...markdown.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1] ?? '');
  const bracketed = [...markdown.matchAll(/\[(\.\.\/[^\]]+|\/[^\]]+)\]/g)].map((m) => m[1] ?? '');
  return [...inline, ...reference, ...bracketed];
}

describe.each(FILES)('%s', (file) => {
  it('links only to existing files inside the repository', () => {
    const dir = path.dirname(path.join(ROOT, file));
    for (const target of linkTargets(readFileSync(path.join(ROOT, file), 'utf8'))) {
      expect(target, `${file} links to ${target}`).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
      const resolved = path.resolve(dir, target.split('#')[0] ?? '');
      expect(path.relative(ROOT, resolved).startsWith('..'), `${file} links outside the repository: ${target}`).toBe(
        false,
      );
      expect(existsSync(resolved), `${file} links to a missing file: ${target}`).toBe(true);
    }
  });
});
