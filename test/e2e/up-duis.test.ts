import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUpConnection, type UpConnection } from '../../harness/live/up-connection.js';
import { CallbackReceiver } from '../../simulator/adapters/duis-http/callback-receiver.js';
import type { DuisClient } from '../../simulator/adapters/duis-http/duis-client.js';
import { encodeDuisRequest } from '../../simulator/domain/duis/xml/duis-request-xml.js';
import { type Child, startTrialsim } from '../support/child-processes.js';
import { TEMPLATES_DIR } from '../support/duis-templates.js';
import { trialsim } from '../support/run-cli.js';
import { upDevice, upDuisClient } from '../support/up-duis-client.js';

let receiver: CallbackReceiver;
let up: Child;
let connection: UpConnection;
let client: DuisClient;
let unsignedClient: DuisClient;
let counter = Date.now();
let dir: string;

const SUPPLIER_A = '90-B3-D5-1F-30-01-00-00';
const DCC = '00-DB-12-34-56-78-90-A0';

beforeAll(async () => {
  receiver = await CallbackReceiver.start();
  dir = await mkdtemp(join(tmpdir(), 'trialsim-up-duis-'));
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
  client = await upDuisClient(duis);
  unsignedClient = await upDuisClient(duis, { signed: false });
}, 120_000);

afterAll(async () => {
  await up?.stop();
  await receiver?.stop();
});

const device = (id: string) => upDevice(connection, id);

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

describe('trialsim duis send: a DUIS client for the running stack', { timeout: 120_000 }, () => {
  const send = (...args: string[]) => trialsim(['duis', 'send', '--stack', dir, ...args]);

  it('commissions the trial ESME over DUIS: 8.4 answered I0, then 8.1.1 CV 4 → Pre-Command signed with the DS key → CV 5 → I99 → I0 on the callback', () => {
    const update = send('--as', 'supplier-a', '--srv', '8.4', '--device', 'esme1');
    expect(update.stdout, update.stderr).toMatch(/HTTP 200: I0 .*signature valid, XSD-valid/);
    expect(update.status).toBe(0);
    const commission = send('--as', 'supplier-a', '--srv', '8.1.1', '--device', 'esme1');
    expect(commission.stdout, commission.stderr).toMatch(/HTTP 200: I0 PreCommand/);
    expect(commission.stdout).toMatch(/CV 5: the Pre-Command signed with supplier-a's DS key/);
    expect(commission.stdout).toMatch(/HTTP 200: I99/);
    expect(commission.stdout).toMatch(
      /callback: I0 GBCSPayload .*"status":"success".*ResponseID 00-12-4B-00-00-00-01-01:90-B3-D5-1F-30-01-00-00:\d+, signature valid, XSD-valid/,
    );
    expect(commission.stdout).toMatch(/outcome: I0/);
    expect(commission.status).toBe(0);
  });

  it('4.1.1 over DUIS: the registers come relayed as the ESME encrypted them for the User (ECS17b), and duis send opens them with its KA key', () => {
    const read = send('--as', 'supplier-a', '--srv', '4.1.1', '--device', 'esme1');
    expect(read.stdout, read.stderr).toMatch(
      /callback: I0 GBCSPayload .*"encryptedFor":"90-B3-D5-1F-30-01-00-00".*"protectedAttributes":"[0-9a-f]+"/,
    );
    expect(read.stdout).toMatch(
      /registers \(ECS17b, opened with supplier-a's KA key\): \{"status":"success","importRegisterWh":\d+\}/,
    );
    expect(read.status).toBe(0);
    const json = send('--as', 'supplier-a', '--srv', '4.1.1', '--device', 'esme1', '--json');
    const received = (JSON.parse(json.stdout) as { received: { registers?: string }[] }).received;
    expect(received.map((r) => r.registers).filter((r) => r !== undefined)).toEqual([
      expect.stringMatching(/opened with supplier-a's KA key.*importRegisterWh/),
    ]);
  });

  it('ECS17B-NO-OWN-KA-KEY - without the User’s KA private key the registers stay closed and duis send says which key is missing', async () => {
    // The same stack seen through a copy of its PKI that lacks supplier-a's KA private key.
    const copy = await mkdtemp(join(tmpdir(), 'trialsim-up-duis-nokey-'));
    await cp(join(dir, 'pki'), join(copy, 'pki'), { recursive: true });
    await rm(join(copy, 'pki', 'supplier-a-ka.key.pem'));
    const upJson = JSON.parse(await readFile(join(dir, 'up.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(copy, 'up.json'), JSON.stringify({ ...upJson, pkiDir: join(copy, 'pki') }));
    const read = trialsim([
      'duis',
      'send',
      '--stack',
      copy,
      '--as',
      'supplier-a',
      '--srv',
      '4.1.1',
      '--device',
      'esme1',
    ]);
    expect(read.stdout, read.stderr).toMatch(
      /registers not opened: ECS17B-NO-OWN-KA-KEY \(90-B3-D5-1F-30-01-00-00 holds no KA private key/,
    );
    expect(read.stdout).not.toMatch(/importRegisterWh/);
    await rm(copy, { recursive: true, force: true });
  });

  it('E4 - a supplier not registered for the device is refused; duis send exits 1', () => {
    const run = send('--as', 'supplier-b', '--srv', '4.1.1', '--device', 'esme1');
    expect(run.stdout, run.stderr).toMatch(/HTTP 200: E4 DUIS-E4/);
    expect(run.stdout).toMatch(/outcome: E4/);
    expect(run.status).toBe(1);
  });

  it('sends a DCC Boxed template file re-signed with a fresh counter (E19 for its unknown device: exit 1)', () => {
    const template = join(TEMPLATES_DIR, '8.2_READ_INVENTORY_REQUEST_DUIS.XML');
    const run = send(template, '--as', 'supplier-a');
    expect(run.stdout, run.stderr).toMatch(/SRV 8\.2 CV 8/);
    expect(run.stdout).toMatch(
      /HTTP 200: E19 .*not in the Smart Metering Inventory.*signature valid, XSD-valid/,
    );
    expect(run.status).toBe(1);
  });

  it('--as-is sends the file untouched: the template with its placeholder signature is refused E1', () => {
    const run = send(
      join(TEMPLATES_DIR, '8.2_READ_INVENTORY_REQUEST_DUIS.XML'),
      '--as',
      'supplier-a',
      '--as-is',
    );
    expect(run.stdout, run.stderr).toMatch(/E1 DUIS-XMLDSIG/);
    expect(run.status).toBe(1);
  });

  it('bad input is a usage error naming the problem (exit 2)', () => {
    const notUser = send('--as', 'acb', '--srv', '8.2', '--device', 'esme1');
    expect(notUser.stderr).toMatch(/"acb" is not a DCC User/);
    expect(notUser.status).toBe(2);
    const neither = send('--as', 'supplier-a');
    expect(neither.stderr).toMatch(/give either a DUIS request file or --srv/);
    expect(neither.status).toBe(2);
    const noDevice = send('--as', 'supplier-a', '--srv', '4.1.1');
    expect(noDevice.stderr).toMatch(/SRV 4\.1\.1 needs --device/);
    expect(noDevice.status).toBe(2);
  });
});
