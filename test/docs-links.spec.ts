import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The documents travel with the repository: a link to a file outside it (the KPI definitions
 * once pointed at ../../shared/KPIS.md) is dead for anyone who clones it alone. Every relative
 * link of every Markdown file must name a file or folder inside the repository that exists.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SKIPPED = new Set(['node_modules', 'dist', '.data', '.git']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

/** Inline links `[text](target)`, without code spans and fenced blocks (SQL and shell there are not links). */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]);
}

describe('links in the documentation', () => {
  const files = markdownFiles(root);

  it('finds the documents', () => {
    expect(files.map((file) => path.relative(root, file))).toEqual(
      expect.arrayContaining(['README.md', 'docs/kpis.md', 'docs/for-analysts.md']),
    );
  });

  it('every relative link names an existing file inside the repository', () => {
    const broken: string[] = [];
    for (const file of files) {
      for (const target of links(readFileSync(file, 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const resolved = path.resolve(path.dirname(file), decodeURIComponent(target.split('#')[0]));
        const inside = resolved === root || resolved.startsWith(`${root}${path.sep}`);
        if (!inside || !existsSync(resolved)) broken.push(`${path.relative(root, file)}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
