import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../harness/package-root.js';
import { USER_PARTIES } from '../../../harness/stack/parties.js';
import { SimStack } from '../../../harness/stack/sim-stack.js';
import { DuisServer, serviceFor } from '../../../simulator/adapters/duis-http/duis-server.js';
import {
  trialsimDuisTrust,
  zaz1DuisTrust,
  zaz1UserSigner,
} from '../../../simulator/adapters/duis-http/duis-trust.js';
import { postXml } from '../../../simulator/adapters/duis-http/http-post.js';
import {
  decodeOutcomeHeader,
  OUTCOME_HEADER,
} from '../../../simulator/adapters/duis-http/trialsim-outcome-header.js';
import {
  decimalSerial,
  signDuis,
  verifyDuis,
  type XmlSigner,
} from '../../../simulator/adapters/duis-http/xml-signature.js';
import { DuisSchema } from '../../../simulator/adapters/duis-http/xsd-validator.js';
import { implementedSrvTemplates } from '../../support/duis-templates.js';

let stack: SimStack;
let server: DuisServer;
let schema: DuisSchema;
let dspCertificate: X509Certificate;
let counter = 5000;

const templates = implementedSrvTemplates();

/**
 * Templates of an implemented SRV whose body takes a branch trialsim does not model: refused at
 * the boundary with E12 TRIALSIM-DUIS-UNMODELLED. Every other template must reach the DCC with no
 * refusal recorded; the test checks both, so this list is exactly the unmodelled ones.
 */
const UNMODELLED_TEMPLATES: Readonly<Record<string, RegExp>> = {
  '8.4_UPDATE_INVENTORY_REQUEST_DUIS.XML': /8\.4 DeleteDevice/,
  'CS02gLoadControllerBySupplier_6.15.1_CANCELLATION_SUCCESS_REQUEST_DUIS.XML':
    /RemotePartyRole LoadController/,
  'CS02gLoadControllerBySupplier_6.15.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML':
    /RemotePartyRole LoadController/,
  'CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML': /RemotePartyRole LoadController/,
  'ECS35e_6.13_SUCCESS_REQUEST_DUIS.XML': /LogToRead PowerEvent/,
  'ECS35f_6.13_SUCCESS_REQUEST_DUIS.XML': /LogToRead ALCSEvent/,
  'ECS35g_6.13_SUCCESS_REQUEST_DUIS.XML': /LogToRead ALCSEvent/,
};
const minified = (xml: string) =>
  xml
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/>\s+</g, '><')
    .trim();
const withCounter = (xml: string, n: number) =>
  xml.replace(/(<sr:RequestID>[^<]*:)\d+(<\/sr:RequestID>)/, `$1${n}$2`);

function signer(name: string): XmlSigner {
  const cert = stack.pki.organisation(name).xmlSign;
  if (cert === undefined) throw new Error(`${name} has no XmlSign certificate`);
  return { privateKey: cert.keys.privateKey, certificate: new X509Certificate(cert.der) };
}

async function post(xml: string, cv: number, headers: Record<string, string> = {}) {
  return postXml(`${server.url}${serviceFor(cv)}`, xml, { headers });
}

beforeAll(async () => {
  stack = await SimStack.start({
    seed: 'duis-server-test',
    start: Date.UTC(2027, 0, 1),
    devices: [],
    cpl: [],
  });
  schema = await DuisSchema.load(join(FIXTURES_DIR, 'duis', 'xsd'));
  const trust = trialsimDuisTrust(stack.pki);
  dspCertificate = trust.dccSigner.certificate;
  server = await DuisServer.start({
    dcc: stack.dcc,
    dccEui: stack.dcc.core.state.config.dccEui,
    clock: stack.clock,
    trace: stack.trace,
    schema,
    trust,
    maxRequestBytes: 64 * 1024,
  });
});

afterAll(async () => {
  await server?.stop();
  await stack?.stop();
});

const dcc = (serial: string) => (serial === decimalSerial(dspCertificate) ? dspCertificate : undefined);

describe('DUIS over HTTP in front of the DCC (DCC Boxed paths)', () => {
  for (const template of templates) {
    const originator = /<sr:RequestID>([^:]+):/.exec(template.xml)?.[1];
    const party = USER_PARTIES.find((p) => p.eui === originator);
    it(`${template.file}: signed with its originator's XmlSign key, answered with a signed, XSD-valid DUIS Response${party ? (UNMODELLED_TEMPLATES[template.file] ? ' (E12: a branch trialsim does not model, recorded)' : ', no refusal recorded') : ' (E1: the originator is no DCC User, recorded)'}`, async () => {
      const signedBy = party?.name ?? 'supplier-a';
      const xml = signDuis(withCounter(minified(template.xml), ++counter), signer(signedBy));
      const refusalsBefore = server.refusals.length;
      const answer = await post(xml, template.commandVariant);
      const refused = server.refusals.slice(refusalsBefore);
      expect(answer.headers['content-type']).toBe('application/xml');
      expect(verifyDuis(answer.body, dcc).ok).toBe(true);
      expect(await schema.validate(answer.body)).toEqual({ valid: true });
      expect(answer.body).toContain(`:${counter}</sr:RequestID>`);
      if (party === undefined) {
        expect(answer.body).toContain('<sr:ResponseCode>E1</sr:ResponseCode>');
        // Refused at the boundary, and recorded as such: the signer is not the RequestID's originator.
        expect(refused).toMatchObject([{ responseCode: 'E1', rule: 'DUIS-XMLDSIG-SIGNER' }]);
        return;
      }
      const unmodelled = UNMODELLED_TEMPLATES[template.file];
      if (unmodelled !== undefined) {
        // A branch trialsim does not model: refused with the defined code (DUIS.md §4.1), recorded.
        expect(refused).toMatchObject([{ responseCode: 'E12', rule: 'TRIALSIM-DUIS-UNMODELLED' }]);
        expect(refused[0]?.reason).toMatch(unmodelled);
        expect(answer.body).toContain('<sr:ResponseCode>E12</sr:ResponseCode>');
        return;
      }
      // The DCC decided it: the template passed the size, XML, XSD, signature and body checks,
      // so no refusal was recorded at the DUIS boundary (whatever the DCC then answered).
      expect(refused, JSON.stringify(refused)).toEqual([]);
      expect(answer.status).toBe(200);
    });
  }

  it('the list of unmodelled templates names only templates of the corpus', () => {
    const files = new Set(templates.map((t) => t.file));
    expect(Object.keys(UNMODELLED_TEMPLATES).filter((f) => !files.has(f))).toEqual([]);
  });

  const readInventory = () => minified(templates.find((t) => t.srv === '8.2')?.xml ?? '');

  it('E1 - an unsigned request is refused and recorded', async () => {
    const answer = await post(withCounter(readInventory(), ++counter), 8);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<sr:ResponseCode>E1</sr:ResponseCode>');
    expect(verifyDuis(answer.body, dcc).ok).toBe(true);
    expect(server.refusals.at(-1)).toMatchObject({ responseCode: 'E1', rule: 'DUIS-XMLDSIG-UNSIGNED' });
  });

  it("E1 - a request signed with another User's key is refused (signer is not the originator)", async () => {
    const answer = await post(signDuis(withCounter(readInventory(), ++counter), signer('supplier-b')), 8);
    expect(answer.body).toContain('<sr:ResponseCode>E1</sr:ResponseCode>');
    expect(server.refusals.at(-1)?.rule).toBe('DUIS-XMLDSIG-SIGNER');
  });

  it('E1 - a request altered after signing is refused', async () => {
    const signed = signDuis(withCounter(readInventory(), ++counter), signer('supplier-a'));
    const answer = await post(signed.replace('90-A2</sr:DeviceID>', '90-A3</sr:DeviceID>'), 8);
    expect(answer.body).toContain('<sr:ResponseCode>E1</sr:ResponseCode>');
    expect(server.refusals.at(-1)?.rule).toBe('DUIS-XMLDSIG-BAD-SIGNATURE');
  });

  it('E12 - a replayed request (same signed document again) is refused by the RequestID counter rule', async () => {
    const signed = signDuis(withCounter(readInventory(), ++counter), signer('supplier-a'));
    const first = await post(signed, 8);
    expect(first.body).not.toContain('<sr:ResponseCode>E12</sr:ResponseCode>');
    const seq = stack.trace.length;
    const again = await post(signed, 8);
    expect(again.body).toContain('<sr:ResponseCode>E12</sr:ResponseCode>');
    expect(verifyDuis(again.body, dcc).ok).toBe(true);
    // The DCC sees its own EUI where the template targets Boxed's DSP EUI: same originator and counter.
    const [originator, , n] = (/<sr:RequestID>([^<]+)</.exec(signed)?.[1] ?? '').split(':');
    // The DCC refused it under its RequestID counter rule, named in trialsim's outcome header…
    expect(decodeOutcomeHeader(again.headers[OUTCOME_HEADER])).toMatchObject({
      rule: 'DUIS-REQUESTID-COUNTER',
    });
    // …and recorded the refusal: the E12, the rule and the reason, for this RequestID.
    const recorded = stack.trace.since(seq).filter((e) => {
      const [from, , count] = String(e.detail?.requestId).split(':');
      return e.kind === 'serviceResponse' && from === originator && count === n;
    });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.detail).toMatchObject({
      responseCode: 'E12',
      rule: 'DUIS-REQUESTID-COUNTER',
      reason: expect.stringMatching(/replay refused/),
    });
  });

  it('E12 - a request invalid against the XSD is refused, naming the problem', async () => {
    const bad = withCounter(readInventory(), ++counter).replace('<sr:DeviceID>00-DB', '<sr:DeviceID>XX-DB');
    const answer = await post(signDuis(bad, signer('supplier-a')), 8);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<sr:ResponseCode>E12</sr:ResponseCode>');
    expect(server.refusals.at(-1)).toMatchObject({ rule: 'DUIS-XSD' });
  });

  it('E12 - a CV sent to the wrong web service is refused', async () => {
    const answer = await postXml(
      `${server.url}/api/v1/serviceS`,
      signDuis(withCounter(readInventory(), ++counter), signer('supplier-a')),
    );
    expect(answer.body).toContain('<sr:ResponseCode>E12</sr:ResponseCode>');
    expect(server.refusals.at(-1)?.rule).toBe('DUIS-WEB-SERVICE');
  });

  it('malformed XML, a DOCTYPE, a wrong content type and an oversized request are refused and recorded, and the endpoint keeps serving', async () => {
    const before = server.refusals.length;
    expect((await post('<sr:Request', 8)).status).toBe(400);
    expect((await post('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', 8)).status).toBe(
      400,
    );
    expect((await post(readInventory(), 8, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(`<x>${'a'.repeat(70 * 1024)}</x>`, 8)).status).toBe(413);
    expect(server.refusals.slice(before).map((r) => r.rule)).toEqual([
      'DUIS-XML',
      'DUIS-XML',
      'DUIS-CONTENT-TYPE',
      'DUIS-OVERSIZED',
    ]);
    const ok = await post(signDuis(withCounter(readInventory(), ++counter), signer('supplier-a')), 8);
    expect(ok.status).toBe(200);
  });
});

describe('DCC Boxed compatibility (ZAZ1 test keys)', () => {
  it("accepts a request signed with the public ZAZ1 supplier key and signs its answer with Boxed's Z1 DSP XmlSign key", async () => {
    const zaz1Dir = join(FIXTURES_DIR, 'duis', 'zaz1');
    const trust = await zaz1DuisTrust(zaz1Dir);
    const boxed = await DuisServer.start({
      dcc: stack.dcc,
      dccEui: stack.dcc.core.state.config.dccEui,
      clock: stack.clock,
      trace: stack.trace,
      schema,
      trust,
    });
    try {
      const zaz1Supplier = await zaz1UserSigner(zaz1Dir, '90B3D51F30010000');
      const xml = signDuis(
        withCounter(minified(templates.find((t) => t.srv === '8.2')?.xml ?? ''), ++counter),
        zaz1Supplier,
      );
      const answer = await postXml(`${boxed.url}/api/v1/serviceD`, xml);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('<ds:X509IssuerName>CN=Z1,OU=07</ds:X509IssuerName>');
      const z1 = trust.dccSigner.certificate;
      expect(verifyDuis(answer.body, (s) => (s === decimalSerial(z1) ? z1 : undefined)).ok).toBe(true);
      // A trialsim-seed key is not trusted in ZAZ1 mode.
      const own = await postXml(
        `${boxed.url}/api/v1/serviceD`,
        signDuis(
          withCounter(minified(templates.find((t) => t.srv === '8.2')?.xml ?? ''), ++counter),
          signer('supplier-a'),
        ),
      );
      expect(own.body).toContain('<sr:ResponseCode>E1</sr:ResponseCode>');
    } finally {
      await boxed.stop();
    }
  });
});
