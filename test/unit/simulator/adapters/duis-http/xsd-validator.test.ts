import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { FIXTURES_DIR } from '../../../../../harness/package-root.js';
import { DuisSchema } from '../../../../../simulator/adapters/duis-http/xsd-validator.js';
import { implementedSrvTemplates } from '../../../../support/duis-templates.js';

const XSD_DIR = join(FIXTURES_DIR, 'duis', 'xsd');
const schema = await DuisSchema.load(XSD_DIR);
const templates = implementedSrvTemplates().slice(0, 12);

/** Ways a valid DUIS request stops being one, each a different complaint of the schema. */
const BREAKS: readonly [string, (xml: string) => string][] = [
  ['an unknown DeviceType', (x) => x.replace(/<sr:DeviceType>[^<]*</, '<sr:DeviceType>TOASTER<')],
  ['an element the schema does not know', (x) => x.replace('</sr:Header>', '<sr:Bogus/></sr:Header>')],
  ['a RequestID without its counter', (x) => x.replace(/(<sr:RequestID>[^<]*):\d+</, '$1<')],
  [
    'no ServiceReferenceVariant',
    (x) => x.replace(/<sr:ServiceReferenceVariant>[^<]*<\/sr:ServiceReferenceVariant>/, ''),
  ],
];

/**
 * xmllint-wasm's validateXML, a fresh xmllint (another build of libxml2) per call: the oracle the
 * kept, compiled schema must agree with.
 */
async function oracle(xml: string): Promise<boolean> {
  const duis = await readFile(join(XSD_DIR, 'DUIS Schema V5.4.xsd'), 'utf8');
  const result = await validateXML({
    xml: [{ fileName: 'one.xml', contents: xml }],
    schema: [
      {
        fileName: 'duis54.xsd',
        contents: duis.replace('schemaLocation="MMC Schema V5.4.xsd"', 'schemaLocation="mmc54.xsd"'),
      },
    ],
    preload: [
      { fileName: 'mmc54.xsd', contents: await readFile(join(XSD_DIR, 'MMC Schema V5.4.xsd'), 'utf8') },
      {
        fileName: 'xmldsig-core-schema.xsd',
        contents: await readFile(join(XSD_DIR, 'xmldsig-core-schema.xsd'), 'utf8'),
      },
    ],
  });
  return result.valid;
}

describe('DUIS 5.4 XSD validation with the schema compiled once and kept (libxml2-wasm)', {
  timeout: 120_000,
}, () => {
  it('gives the verdict xmllint-wasm itself gives, for valid templates and for each way of breaking one', async () => {
    const base = templates.find((t) => t.xml.includes('<sr:DeviceType>')) ?? templates[0];
    if (base === undefined) throw new Error('no duis-templates corpus');
    const cases = [base.xml, ...BREAKS.map(([, breakIt]) => breakIt(base.xml))];
    const mine = await Promise.all(cases.map((xml) => schema.validate(xml)));
    const theirs = await Promise.all(cases.map(oracle));
    expect(mine.map((v) => v.valid)).toEqual(theirs);
    expect(mine.map((v) => v.valid)).toEqual([true, ...BREAKS.map(() => false)]);
  });

  it('names the element the schema refused, without xmllint’s file name and line', async () => {
    const base = templates.find((t) => t.xml.includes('<sr:DeviceType>'));
    if (base === undefined) throw new Error('no template with a DeviceType');
    const verdict = await schema.validate(
      base.xml.replace(/<sr:DeviceType>[^<]*</, '<sr:DeviceType>TOASTER<'),
    );
    expect(verdict.valid).toBe(false);
    if (verdict.valid) return;
    expect(verdict.errors[0]).toMatch(/DeviceType/);
    expect(verdict.errors[0]).not.toMatch(/^message-\d+\.xml/);
  });

  it('many documents asked for at once each get their own verdict, in order', async () => {
    const invalidAt = new Set([1, 4, 7]);
    const xmls = templates.map((t, i) =>
      invalidAt.has(i) ? t.xml.replace('</sr:Header>', '<sr:Bogus/></sr:Header>') : t.xml,
    );
    const verdicts = await Promise.all(xmls.map((xml) => schema.validate(xml)));
    expect(verdicts.map((v, i) => [i, v.valid])).toEqual(xmls.map((_, i) => [i, !invalidAt.has(i)]));
  });

  it('a document libxml2 cannot parse is invalid, naming the parser error, and the documents validated with it keep their verdicts', async () => {
    const base = templates[0];
    if (base === undefined) throw new Error('no duis-templates corpus');
    const [broken, good] = await schema.validateAll(['<sr:Request', base.xml]);
    expect(broken?.valid).toBe(false);
    expect(JSON.stringify(broken)).toMatch(/parser error|Premature end|Couldn't find end/i);
    expect(good?.valid).toBe(true);
    expect((await schema.validate(base.xml)).valid).toBe(true);
  });

  it('a schema loaded twice in one process validates the same, compiled once', async () => {
    const other = await DuisSchema.load(XSD_DIR);
    const base = templates[0];
    if (base === undefined) throw new Error('no duis-templates corpus');
    const [a, b] = await Promise.all([schema.validate(base.xml), other.validate(base.xml)]);
    expect([a.valid, b.valid]).toEqual([true, true]);
  });
});
