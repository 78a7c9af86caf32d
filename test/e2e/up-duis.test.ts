import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUpConnection, type UpConnection } from '../../harness/cli/up-connection.js';
import { FIXTURES_DIR } from '../../harness/package-root.js';
import { CallbackReceiver } from '../../simulator/adapters/duis-http/callback-receiver.js';
import { DuisClient } from '../../simulator/adapters/duis-http/duis-client.js';
import { pemSigner } from '../../simulator/adapters/duis-http/duis-trust.js';
import { DuisSchema } from '../../simulator/adapters/duis-http/xsd-validator.js';
import { encodeDuisRequest } from '../../simulator/domain/duis/xml/duis-request-xml.js';
import { type Child, startTrialsim } from '../support/child-processes.js';

let receiver: CallbackReceiver;
let up: Child;
let connection: UpConnection;
let client: DuisClient;
let unsignedClient: DuisClient;
let counter = Date.now();

const SUPPLIER_A = '90-B3-D5-1F-30-01-00-00';
const DCC = '00-DB-12-34-56-78-90-A0';

beforeAll(async () => {
  receiver = await CallbackReceiver.start();
  const dir = await mkdtemp(join(tmpdir(), 'trialsim-up-duis-'));
  up = startTrialsim([
    'up',
    'scenarios/commissioning.yaml',
    '--port',
    '0',
    '--dir',
    dir,
    '--duis',
    '0',
    '--duis-callback',
    `supplier-a=${receiver.url}`,
  ]);
  await up.waitFor(/stack file/);
  connection = await readUpConnection(dir);
  const duis = connection.duis;
  if (duis === undefined) throw new Error('up.json names no DUIS endpoint');
  const keys = join(duis.userKeyDir, 'supplier-a-xml-sign');
  const dspCertificate = new X509Certificate(await readFile(duis.dspCertificateFile));
  const schema = await DuisSchema.load(join(FIXTURES_DIR, 'duis', 'xsd'));
  client = new DuisClient({
    url: duis.url,
    signer: await pemSigner(`${keys}.key.pem`, `${keys}.pem`),
    dspCertificate,
    schema,
  });
  unsignedClient = new DuisClient({ url: duis.url, dspCertificate, schema });
}, 120_000);

afterAll(async () => {
  await up?.stop();
  await receiver?.stop();
});

function device(id: string) {
  const d = connection.devices.find((x) => x.id === id);
  if (d === undefined) throw new Error(`no ${id} in up.json`);
  return d;
}

function request(srv: string, target: string, body: Record<string, unknown>, commandVariant: number) {
  const n = ++counter;
  return encodeDuisRequest(
    {
      requestId: `${SUPPLIER_A}:${target}:${n}`,
      commandVariant,
      serviceReference: srv,
      serviceReferenceVariant: srv,
      body,
    },
    { requestCounter: n },
  );
}

describe('trialsim up --duis: a DUIS User drives the running stack over HTTP with the callback', {
  timeout: 60_000,
}, () => {
  it('up prints the DUIS endpoint and records it, with the key files, in up.json', () => {
    expect(up.stdout()).toMatch(/DUIS {7}http:\/\/127\.0\.0\.1:\d+\/api\/v1\/serviceS\|serviceT\|serviceD/);
    expect(up.stdout()).toContain(`supplier-a receives results at ${receiver.url}`);
    expect(connection.duis?.pki).toBe('trialsim');
  });

  it('a signed 12.2 gets its synchronous answer signed by the DSP XmlSign key, XSD-valid, I0', async () => {
    const esme = device('esme1');
    const xml = request(
      '12.2',
      DCC,
      {
        deviceId: esme.eui,
        deviceType: esme.deviceType,
        manufacturer: esme.manufacturer,
        model: esme.model,
        firmwareVersion: esme.firmwareVersion,
      },
      8,
    );
    const answer = await client.post(client.sign(xml));
    expect(answer.status).toBe(200);
    expect(answer.signature).toEqual({ ok: true });
    expect(answer.schema).toEqual({ valid: true });
    expect(answer.decoded).toMatchObject({
      kind: 'response',
      responseCode: 'I0',
      serviceReferenceVariant: '12.2',
    });
  });

  it('a device SRV (8.11 to the comms hub) is acknowledged I99 at once and its I0 arrives signed on the callback URL', async () => {
    const chf = device('chf1');
    const xml = request('8.11', chf.eui, { action: 'add', deviceId: device('esme1').eui }, 1);
    const requestId = /<sr:RequestID>([^<]+)</.exec(xml)?.[1];
    const ack = await client.post(client.sign(xml));
    expect(ack.decoded).toMatchObject({ kind: 'response', responseCode: 'I99', requestId });
    expect(ack.signature).toEqual({ ok: true });
    const posted = await receiver.next(30_000);
    if (posted === undefined) throw new Error(`no callback for ${requestId}:\n${up.stderr()}`);
    const callback = await client.read(posted.xml);
    expect(callback.signature).toEqual({ ok: true });
    expect(callback.schema).toEqual({ valid: true });
    expect(callback.decoded).toMatchObject({
      kind: 'response',
      requestId,
      responseId: `${chf.eui}:${SUPPLIER_A}:${counter}`,
      responseCode: 'I0',
      serviceReferenceVariant: '8.11',
    });
  });

  it('E1 - an unsigned request to the CLI-started endpoint is refused with a signed DUIS Response', async () => {
    const xml = request('8.2', DCC, { deviceId: device('esme1').eui }, 8);
    const answer = await unsignedClient.post(xml);
    expect(answer.status).toBe(400);
    expect(answer.signature).toEqual({ ok: true });
    expect(answer.decoded).toMatchObject({ responseCode: 'E1' });
    expect(answer.outcome.rule).toBe('DUIS-XMLDSIG-UNSIGNED');
  });
});
