import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every citation of a domain reference in the code and documents resolves inside the repository:
 * `DCC.md §8`, `GBCS.md §4.2` or `TRIALS.md "End of trial"` names a file of docs/domain/ and a
 * heading in it. A citation that points nowhere is how a rule's reason gets lost.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const domainDocs = join(root, 'docs', 'domain');
const scanned = ['simulator', 'harness', 'bench', 'test', 'scenarios', 'docs', 'bin', 'README.md'];
const sourceFile = /\.(ts|js|md|ya?ml|json)$/;
const citation =
  /(?<![\w/.-])(TRIALS|DCC|GBCS|DUIS)\.md(?:\]\([^)]*\))?(?:\s*§\s*(\d+(?:\.\d+)?)|\s*"([^"\n]{3,80})")?/g;

interface Citation {
  readonly where: string;
  readonly doc: string;
  readonly section?: string;
  readonly heading?: string;
}

function filesUnder(path: string): string[] {
  const full = join(root, path);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const child = join(path, entry.name);
    if (entry.isDirectory()) return filesUnder(child);
    return sourceFile.test(entry.name) ? [join(root, child)] : [];
  });
}

function citations(): Citation[] {
  const found: Citation[] = [];
  for (const file of scanned.flatMap(filesUnder)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      for (const match of line.matchAll(citation)) {
        found.push({
          where: `${relative(root, file)}:${index + 1}`,
          doc: `${match[1]}.md`,
          ...(match[2] === undefined ? {} : { section: match[2] }),
          ...(match[3] === undefined ? {} : { heading: match[3] }),
        });
      }
    });
  }
  return found;
}

function headings(doc: string): string[] {
  return readFileSync(join(domainDocs, doc), 'utf8')
    .split('\n')
    .filter((line) => /^#{1,4} /.test(line))
    .map((line) => line.replace(/^#+ /, ''));
}

describe('domain references cited in the code resolve in docs/domain/', () => {
  const all = citations();
  const docs = new Set(readdirSync(domainDocs));

  it('finds the citations (the scan itself works)', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it('every cited document is in docs/domain/', () => {
    const missing = all.filter((c) => !docs.has(c.doc)).map((c) => `${c.where} ${c.doc}`);
    expect(missing).toEqual([]);
  });

  it('every cited section number is a heading of that document', () => {
    const broken = all
      .filter((c) => c.section !== undefined && docs.has(c.doc))
      .filter(
        (c) => !headings(c.doc).some((h) => h.startsWith(`${c.section}.`) || h.startsWith(`${c.section} `)),
      )
      .map((c) => `${c.where} ${c.doc} §${c.section}`);
    expect(broken).toEqual([]);
  });

  it('every heading quoted from TRIALS.md is one of its headings', () => {
    const trialsHeadings = headings('TRIALS.md');
    const broken = all
      .filter((c) => c.doc === 'TRIALS.md' && c.heading !== undefined)
      .filter((c) => !trialsHeadings.some((h) => h.startsWith(c.heading ?? '')))
      .map((c) => `${c.where} "${c.heading}"`);
    expect(broken).toEqual([]);
  });

  it('no code or document cites a tracker issue by number instead of the rule', () => {
    const byNumber = scanned
      .flatMap(filesUnder)
      .filter((file) => !file.endsWith('domain-citations.test.ts'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, index) =>
            /\b[Ii]ssue #?\d+/.test(line) ? [`${relative(root, file)}:${index + 1}`] : [],
          ),
      );
    expect(byNumber).toEqual([]);
  });

  it('nothing points at files outside the repository', () => {
    const outside = scanned
      .flatMap(filesUnder)
      .filter((file) => !file.endsWith('domain-citations.test.ts'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, index) =>
            /\.\.\/shared\/|\/work\/shared/.test(line) ? [`${relative(root, file)}:${index + 1}`] : [],
          ),
      );
    expect(outside).toEqual([]);
  });
});
