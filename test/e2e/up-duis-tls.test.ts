import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUpConnection, type UpConnection } from '../../harness/live/up-connection.js';
import { CallbackReceiver } from '../../simulator/adapters/duis-http/callback-receiver.js';
import type { DuisClient } from '../../simulator/adapters/duis-http/duis-client.js';
import { postXml, putText } from '../../simulator/adapters/duis-http/http-post.js';
import { encodeDuisRequest } from '../../simulator/domain/duis/xml/duis-request-xml.js';
import { generateDuisTlsCredentials } from '../../simulator/pki/duis-tls-credentials.js';
import { type Child, startTrialsim } from '../support/child-processes.js';
import { trialsim } from '../support/run-cli.js';
import { upDevice, upDuisClient } from '../support/up-duis-client.js';

const SUPPLIER_A = '90-B3-D5-1F-30-01-00-00';
const SEED = 'up-duis-tls-test';

let dir: string;
let up: Child;
let connection: UpConnection;
let duis: NonNullable<UpConnection['duis']>;
let caFile: string;
let receiver: CallbackReceiver;
let client: DuisClient;
let counter = Date.now();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-up-duis-tls-'));
  // The User's receive-response URL is https:// too, its certificate from another seed's test
  // CA, which `up` is told to trust with --duis-callback-ca.
  const userTls = await generateDuisTlsCredentials('the-users-own-ca');
  const userCaFile = join(dir, 'user-ca.pem');
  await writeFile(userCaFile, userTls.caPem);
  receiver = await CallbackReceiver.start({ tls: { key: userTls.keyPem, cert: userTls.certPem } });
  up = startTrialsim([
    'up',
    'scenarios/commissioning.yaml',
    '--port',
    '0',
    '--dir',
    join(dir, 'stack'),
    '--seed',
    SEED,
    '--duis',
    '0',
    '--duis-tls',
    '--duis-callback',
    `supplier-a=${receiver.url}`,
    '--duis-callback-ca',
    userCaFile,
  ]);
  await up.waitFor(/stack file/);
  connection = await readUpConnection(join(dir, 'stack'));
  if (connection.duis?.tlsCaFile === undefined)
    throw new Error(`up.json names no DUIS TLS CA:\n${up.stdout()}`);
  duis = connection.duis;
  caFile = connection.duis.tlsCaFile as string;
  client = await upDuisClient(duis, { ca: await readFile(caFile, 'utf8') });
}, 120_000);

afterAll(async () => {
  await up?.stop();
  await receiver?.stop();
});

const device = (id: string) => upDevice(connection, id);

const send = (...args: string[]) => trialsim(['duis', 'send', '--stack', join(dir, 'stack'), ...args]);

describe('trialsim up --duis --duis-tls: DUIS over HTTPS with the test TLS CA from the seed', {
  timeout: 60_000,
}, () => {
  it('serves https://, prints the CA it exported beside the PKI and names it in up.json', async () => {
    expect(duis.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(up.stdout()).toMatch(/DUIS {7}https:\/\/127\.0\.0\.1:\d+\/api\/v1\/serviceS\|serviceT\|serviceD/);
    expect(caFile).toBe(join(connection.pkiDir, 'duis-tls-ca.pem'));
    expect(up.stdout()).toContain(`TLS test CA ${caFile}`);
    // The CA is the seed's: a client can derive or keep it, and it is the same every `up`.
    expect(await readFile(caFile, 'utf8')).toBe((await generateDuisTlsCredentials(SEED)).caPem);
  });

  it('duis send reaches the HTTPS stack, trusting the CA up.json names, and gets the signed answer', () => {
    const run = send('--as', 'supplier-a', '--srv', '12.2', '--device', 'esme1');
    expect(run.stdout, run.stderr).toMatch(/HTTP 200: I0 .*signature valid, XSD-valid/);
    expect(run.stdout).toMatch(/outcome: I0/);
    expect(run.status).toBe(0);
  });

  it('a device result reaches the User on its https:// receive-response URL, trusting the CA the user named', async () => {
    // Above the counter `duis send` used (its clock), as the DCC refuses a RequestID counter that does not grow.
    counter = Math.max(counter + 1, Date.now());
    const n = counter;
    const xml = encodeDuisRequest(
      {
        requestId: `${SUPPLIER_A}:${device('chf1').eui}:${n}`,
        commandVariant: 1,
        serviceReference: '8.11',
        serviceReferenceVariant: '8.11',
        body: { action: 'add', deviceId: device('esme1').eui },
      },
      { requestCounter: n },
    );
    // `duis send` above registered its own receiver for supplier-a: take the URL back, over HTTPS.
    const registered = await putText(`${duis.url}/trialsim/v1/callback/${SUPPLIER_A}`, receiver.url, {
      ca: await readFile(caFile, 'utf8'),
    });
    expect(registered.status).toBe(204);
    const ack = await client.post(client.sign(xml));
    expect(ack.decoded, JSON.stringify(ack.outcome)).toMatchObject({ kind: 'response', responseCode: 'I99' });
    const posted = await receiver.next(30_000);
    if (posted === undefined) throw new Error(`no callback over HTTPS:\n${up.stderr()}`);
    const callback = await client.read(posted.xml);
    expect(callback.signature).toEqual({ ok: true });
    expect(callback.decoded).toMatchObject({
      kind: 'response',
      responseCode: 'I0',
      serviceReferenceVariant: '8.11',
    });
  });

  it('a plain-HTTP client on the HTTPS port is answered 400, told to use https://', async () => {
    const plain = duis.url.replace(/^https:/, 'http:');
    const answer = await postXml(`${plain}/api/v1/serviceS`, '<x/>');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain(`speaks HTTPS only: send to ${duis.url}`);
  });

  it('a wrong CA is refused with a message naming the untrusted certificate and the CA to trust (exit 3)', () => {
    // The SMKI root is a real CA of the same stack, but not the one that signed the TLS certificate.
    const run = send(
      '--as',
      'supplier-a',
      '--srv',
      '8.4',
      '--device',
      'esme1',
      '--ca',
      join(connection.pkiDir, 'root-ca.pem'),
    );
    expect(run.stderr).toMatch(
      /the DUIS endpoint's TLS certificate at https:\/\/127\.0\.0\.1:\d+ is not trusted/,
    );
    expect(run.stderr).toContain('--ca <stack dir>/pki/duis-tls-ca.pem');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.status).toBe(3);
  });

  it('a --ca file that cannot be read is a usage error naming it (exit 2)', () => {
    const missing = join(dir, 'no-such-ca.pem');
    const run = send('--as', 'supplier-a', '--srv', '12.2', '--device', 'esme1', '--ca', missing);
    expect(run.stderr).toContain(`cannot read the --ca file, ${missing}`);
    expect(run.status).toBe(2);
  });

  it('up refuses --duis-tls without --duis, an unknown --pki and a --duis-callback-ca it cannot read, saying so, before starting anything (exit 2)', () => {
    const noDuis = trialsim(['up', '--port', '0', '--dir', join(dir, 'refused'), '--duis-tls'], 60_000);
    expect(noDuis.stderr).toContain('--duis-tls and --duis-callback-ca need --duis <port>');
    expect(noDuis.status).toBe(2);
    const badPki = trialsim(['up', '--port', '0', '--dir', join(dir, 'refused'), '--pki', 'boxed'], 60_000);
    expect(badPki.stderr).toContain('--pki must be trialsim or zaz1, not "boxed"');
    expect(badPki.status).toBe(2);
    const missing = join(dir, 'no-such-user-ca.pem');
    const unreadable = trialsim(
      ['up', '--port', '0', '--dir', join(dir, 'refused'), '--duis', '0', '--duis-callback-ca', missing],
      60_000,
    );
    expect(unreadable.stderr).toContain(`cannot read the CA file ${missing}`);
    expect(unreadable.status).toBe(2);
  });
});
