import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderAnalystDocs } from './analyst-docs.js';

/** Rewrites docs/for-analysts.md from the sources (run from the repository folder after a build). */
const target = path.resolve(process.argv[2] ?? 'docs/for-analysts.md');
writeFileSync(target, renderAnalystDocs());
process.stdout.write(`wrote ${target}\n`);
