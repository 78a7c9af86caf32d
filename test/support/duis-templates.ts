import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SRV_CATALOGUE } from '../../simulator/domain/duis/srv-catalogue.js';

/**
 * The request templates of @smartdcc/duis-templates 0.5.0 (a GPL-3.0-or-later devDependency, used
 * here only as an independent test corpus: read at test time, never copied, never shipped) for
 * the SRVs trialsim implements, with their placeholder signatures removed (DUIS.md §9 trap 4).
 */
export interface DuisTemplate {
  readonly file: string;
  readonly srv: string;
  readonly commandVariant: number;
  /** The template with its placeholder ds:Signature and comments removed. */
  readonly xml: string;
}

export const TEMPLATES_DIR = join(
  dirname(createRequire(import.meta.url).resolve('@smartdcc/duis-templates/package.json')),
  'templates',
);

export function implementedSrvTemplates(): DuisTemplate[] {
  const out: DuisTemplate[] = [];
  for (const file of readdirSync(TEMPLATES_DIR).sort()) {
    const raw = readFileSync(join(TEMPLATES_DIR, file), 'utf8');
    const srv = /<sr:ServiceReferenceVariant>([^<]+)</.exec(raw)?.[1];
    const cv = Number(/<sr:CommandVariant>(\d+)</.exec(raw)?.[1]);
    if (srv === undefined || SRV_CATALOGUE.get(srv)?.implemented !== true) continue;
    const xml = raw.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '').replace(/<!--[\s\S]*?-->/g, '');
    out.push({ file, srv, commandVariant: cv, xml });
  }
  return out;
}
