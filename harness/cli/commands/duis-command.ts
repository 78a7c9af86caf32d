import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  CallbackReceiver,
  canonicalRequestXml,
  type DuisAnswer,
  DuisClient,
  DuisSchema,
  decodeOutcomeHeader,
  OUTCOME_HEADER,
  pemSigner,
  putText,
  type XmlSigner,
  zaz1UserSigner,
} from '../../../simulator/adapters/index.js';
import {
  DuisXmlError,
  type Eui,
  encodeDuisRequest,
  formatRequestId,
  lookupSrv,
  parseEui,
  parseXml,
  preCommandSignature,
  readRequestHeader,
  serviceReferenceOf,
} from '../../../simulator/domain/index.js';
import { TrialsimError } from '../../../simulator/errors.js';
import { openedRegistersLine } from '../../live/relayed-registers.js';
import { deviceSpec, readDsPrivateKey } from '../../live/remote-sr.js';
import { DEFAULT_UP_DIR, readUpConnection, type UpConnection } from '../../live/up-connection.js';
import { FIXTURES_DIR } from '../../package-root.js';
import { defaultBody } from '../../scenario/request-bodies.js';
import { EXIT } from '../exit-codes.js';
import { endpointCa, unreachable } from './duis-tls-trust.js';

interface SendOptions {
  as: string;
  srv?: string;
  device?: string;
  body?: Record<string, unknown>;
  stack: string;
  ca?: string;
  asIs: boolean;
  keepId: boolean;
  wait: boolean;
  timeout: number;
  xml: boolean;
  json: boolean;
}

function parseBody(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidArgumentError('give the body as a JSON object, e.g. \'{"status":"Pending"}\'');
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  return n;
}

function duisOf(up: UpConnection) {
  if (up.duis === undefined)
    throw new TrialsimError(
      'USAGE',
      'the running stack serves no DUIS: start it with `trialsim up --duis PORT` (e.g. --duis 8079)',
    );
  return up.duis;
}

function party(up: UpConnection, name: string) {
  const found = up.parties.find((p) => (p.name === name || p.eui === name.toUpperCase()) && p.userRole);
  if (found === undefined)
    throw new TrialsimError(
      'UNKNOWN_PARTY',
      `"${name}" is not a DCC User of the stack (users: ${up.parties
        .filter((p) => p.userRole !== undefined)
        .map((p) => p.name)
        .join(', ')})`,
    );
  return found;
}

/** The User's XmlSign key: exported by `up` (trialsim PKI) or DCC Boxed's ZAZ1 file. */
async function signerOf(up: UpConnection, name: string, eui: string): Promise<XmlSigner> {
  const duis = duisOf(up);
  try {
    if (duis.pki === 'zaz1') return await zaz1UserSigner(duis.userKeyDir, eui.replaceAll('-', ''));
    const stem = join(duis.userKeyDir, `${name}-xml-sign`);
    return await pemSigner(`${stem}.key.pem`, `${stem}.pem`);
  } catch (err) {
    throw new TrialsimError(
      'USAGE',
      `no XmlSign key for ${name} (${eui}) in ${duis.userKeyDir}${duis.pki === 'zaz1' ? ' (DCC Boxed publishes a ZAZ1 key for supplier-a only)' : ''}: ${(err as Error).message}`,
    );
  }
}

/** A request from the SRV's default body for a device (what `trialsim sr` would send), as DUIS. */
function builtRequest(up: UpConnection, userEui: Eui, opts: SendOptions): string {
  const srv = opts.srv as string;
  const def = lookupSrv(srv);
  if (def === undefined) throw new TrialsimError('USAGE', `trialsim implements no SRV "${srv}"`);
  const spec = opts.device === undefined ? undefined : deviceSpec(up, opts.device);
  const chfEui = spec?.chf === undefined ? undefined : deviceSpec(up, spec.chf).eui;
  let target: Eui | undefined;
  if (def.nonDevice) target = parseEui(up.dccEui);
  else if (srv === '8.11') target = chfEui;
  else target = spec?.eui;
  if (target === undefined) throw new TrialsimError('USAGE', `SRV ${srv} needs --device <id|eui>`);
  const counter = Date.now();
  try {
    return encodeDuisRequest(
      {
        requestId: formatRequestId({ originator: userEui, target, counter }),
        commandVariant: def.nonDevice ? 8 : def.critical ? 4 : 1,
        serviceReference: serviceReferenceOf(srv),
        serviceReferenceVariant: srv,
        body: { ...defaultBody(srv, spec), ...opts.body },
      },
      { requestCounter: counter },
    );
  } catch (err) {
    throw new TrialsimError('USAGE', `cannot write SRV ${srv} as DUIS: ${(err as Error).message}`);
  }
}

/** A request from a file: Boxed's whitespace-free form, the counter renewed unless --keep-id. */
async function fileRequest(file: string, userEui: string, opts: SendOptions): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TrialsimError('USAGE', `cannot read ${file}: ${(err as Error).message}`);
  }
  if (opts.asIs) return text;
  let xml: string;
  let requestId: string;
  try {
    xml = canonicalRequestXml(text);
    requestId = readRequestHeader(parseXml(xml)).requestId;
  } catch (err) {
    throw new TrialsimError(
      'USAGE',
      `${file} is not a DUIS request: ${err instanceof DuisXmlError ? err.message : (err as Error).message}`,
    );
  }
  const [originator, target] = requestId.split(':');
  if (originator?.toUpperCase() !== userEui)
    process.stderr.write(
      `trialsim duis send: warning: ${file}'s RequestID names ${originator} as its originator, not ${opts.as} (${userEui}); the DCC will refuse it (E1)\n`,
    );
  if (opts.keepId) return xml;
  // A counter the DCC has not seen from this User (it must strictly increase: DCC.md §2).
  return xml.replace(/(<sr:RequestID>)[^<]*(<\/sr:RequestID>)/, `$1${originator}:${target}:${Date.now()}$2`);
}

function describe(answer: DuisAnswer): string {
  const d = answer.decoded;
  const why = answer.outcome.rule
    ? ` ${answer.outcome.rule}${answer.outcome.reason ? ` (${answer.outcome.reason})` : ''}`
    : '';
  const signature = answer.signature.ok
    ? 'signature valid'
    : `SIGNATURE NOT VALID: ${answer.signature.problem}`;
  const schema =
    answer.schema === undefined
      ? ''
      : answer.schema.valid
        ? ', XSD-valid'
        : `, XSD-INVALID: ${answer.schema.errors.join('; ')}`;
  if (d === undefined) return `${answer.problem ?? 'no DUIS Response'}${why}`;
  if (d.kind === 'deviceAlert') return `DeviceAlertMessage ${d.alertCode} (${signature}${schema})`;
  if (d.kind === 'dccAlert')
    return `DCCAlertMessage ${d.dccAlertCode} ${d.alert} ${d.deviceId ?? ''} (${signature}${schema})`;
  const content = d.content === undefined ? '' : ` ${d.content}`;
  const body =
    answer.outcome.body && Object.keys(answer.outcome.body).length > 0
      ? ` ${JSON.stringify(answer.outcome.body)}`
      : '';
  return `${d.responseCode}${why}${content}${body} (${d.responseId ? `ResponseID ${d.responseId}, ` : ''}${signature}${schema})`;
}

/** Whether a callback is about this request: a response naming it, or a device alert citing it. */
function isFor(answer: DuisAnswer, requestId: string): boolean {
  const d = answer.decoded;
  if (d?.kind === 'response') return d.requestId === requestId;
  const details = answer.outcome.body?.details as Record<string, unknown> | undefined;
  return d?.kind === 'deviceAlert' && details?.requestId === requestId;
}

/**
 * `trialsim duis send`: one DUIS request to a running `trialsim up --duis` stack, as a DUIS User's
 * head-end sends it — signed with the User's XmlSign key, POSTed to the web service of its command
 * variant — then the synchronous answer and, for device SRVs, the results the DCC POSTs to the
 * receive-response URL, each checked against the DCC's DSP XmlSign certificate and the XSD.
 */
export function registerDuisCommand(program: Command, exit: (code: number) => void): void {
  const duis = program
    .command('duis')
    .description('speak DUIS XML over HTTP to a running `trialsim up --duis` stack');
  duis
    .command('send')
    .description(
      'sign and POST one DUIS request (a file, or an SRV built for a device) as a DCC User; print and verify the answers',
    )
    .argument('[file]', 'DUIS request XML (e.g. a DCC Boxed template); without it, --srv builds one')
    .requiredOption('--as <party>', 'DCC User to sign and send as (party name or EUI), e.g. supplier-a')
    .option('--srv <srv>', 'build the request for this SRV with its default body (no file)')
    .option('--device <id|eui>', 'the device the built request is for (scenario id or EUI)')
    .option('--body <json>', "JSON object merged over the built request's default body", parseBody)
    .option('--stack <dir>', 'folder of the running stack (where up.json is)', DEFAULT_UP_DIR)
    .option(
      '--ca <file>',
      "CA certificate (PEM) an https:// endpoint's certificate must chain to (default: the test TLS CA up.json names, from `up --duis-tls`)",
    )
    .option('--as-is', 'send the file exactly as it is: no re-signing, no new RequestID counter', false)
    .option(
      '--keep-id',
      "keep the file's RequestID (default: a fresh counter, as the DCC refuses replays)",
      false,
    )
    .addOption(new Option('--no-wait', 'do not wait for the asynchronous results on a receive-response URL'))
    .option('--timeout <ms>', 'real ms to wait for each answer', positive, 15_000)
    .option('--xml', 'print the XML of every answer', false)
    .option(
      '--json',
      'print everything received as JSON (a 4.1.1’s opened registers under "registers")',
      false,
    )
    .addHelpText(
      'after',
      `
Waiting for results starts a receive-response endpoint on 127.0.0.1 and registers it for the
User (PUT /trialsim/v1/callback/<EUI>): until another registration, the User's later results go
there. A critical SRV's CV 4 answer (the Pre-Command) is signed with the User's DS key from the
stack's PKI and sent back as CV 5, as a head-end does. A stack started with \`up --duis-tls\`
is reached over HTTPS, trusting the test TLS CA up.json names (or --ca FILE); a certificate
that does not chain to it is refused, saying so. Exit: 0 the request ended in I0, 1 another
code, a device alert or an answer whose signature or schema does not verify, 2 bad input (an
unreadable --ca), 3 no answer in time, the endpoint unreachable or its TLS certificate untrusted.

Examples:
  trialsim duis send --as supplier-a --srv 8.2 --device esme1
  trialsim duis send --as supplier-a --srv 8.1.1 --device esme1
  trialsim duis send node_modules/@smartdcc/duis-templates/templates/ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML --as supplier-a`,
    )
    .action(async (file: string | undefined, opts: SendOptions) => {
      if ((file === undefined) === (opts.srv === undefined))
        throw new TrialsimError(
          'USAGE',
          'give either a DUIS request file or --srv (with --device), not both or neither',
        );
      if (opts.asIs && file === undefined) throw new TrialsimError('USAGE', '--as-is needs a file');
      const up = await readUpConnection(opts.stack);
      const config = duisOf(up);
      const user = party(up, opts.as);
      const signer = opts.asIs ? undefined : await signerOf(up, user.name, user.eui);
      const ca = await endpointCa(config, opts.ca);
      const reach = { ...(ca === undefined ? {} : { ca: ca.pem }), caFile: ca?.file };
      const client = new DuisClient({
        url: config.url,
        ...(ca === undefined ? {} : { ca: ca.pem }),
        ...(signer === undefined ? {} : { signer }),
        dspCertificate: new X509Certificate(await readFile(config.dspCertificateFile)),
        schema: await DuisSchema.load(join(FIXTURES_DIR, 'duis', 'xsd')),
        timeoutMs: opts.timeout,
      });
      const unsigned =
        file === undefined
          ? builtRequest(up, parseEui(user.eui), opts)
          : await fileRequest(file, user.eui, opts);
      const xml = opts.asIs ? unsigned : client.sign(unsigned);
      let header: ReturnType<typeof readRequestHeader>;
      try {
        header = readRequestHeader(parseXml(xml));
      } catch (err) {
        throw new TrialsimError('USAGE', `${file} is not a DUIS request: ${(err as Error).message}`);
      }
      const received: DuisAnswer[] = [];
      // 4.1.1's registers, opened as the User's head-end would (relayed-registers.ts).
      const registersOf = new Map<DuisAnswer, string>();
      const print = async (label: string, answer: DuisAnswer) => {
        received.push(answer);
        const registers = await openedRegistersLine(up, user, answer.outcome.body);
        if (registers !== undefined) registersOf.set(answer, registers);
        if (opts.json) return;
        process.stdout.write(`  ${label}: ${describe(answer)}\n`);
        if (registers !== undefined) process.stdout.write(`    ${registers}\n`);
        if (opts.xml) process.stdout.write(`${answer.xml}\n`);
      };
      const receiver = opts.wait ? await CallbackReceiver.start() : undefined;
      try {
        if (receiver !== undefined) await register(config.url, user.eui, receiver.url, reach);
        if (!opts.json)
          process.stdout.write(
            `${header.requestId} SRV ${header.serviceReferenceVariant} CV ${header.commandVariant}\n`,
          );
        let answer = await post(client, xml, config.url, reach.caFile);
        await print(`HTTP ${answer.status}`, answer);
        const d = answer.decoded;
        if (
          d?.kind === 'response' &&
          d.responseCode === 'I0' &&
          d.preCommand !== undefined &&
          header.commandVariant === 4 &&
          signer !== undefined
        ) {
          // The head-end's part of a critical command: sign the Pre-Command, send it back as CV 5.
          const signature = preCommandSignature(d.preCommand, await readDsPrivateKey(user.dsKeyFile));
          const cv5 = encodeDuisRequest(
            {
              requestId: header.requestId,
              commandVariant: 5,
              serviceReference: header.serviceReference,
              serviceReferenceVariant: header.serviceReferenceVariant,
              body: {},
              preCommand: d.preCommand,
              signature,
            },
            { requestCounter: 0 },
          );
          if (!opts.json) process.stdout.write(`  CV 5: the Pre-Command signed with ${user.name}'s DS key\n`);
          answer = await post(client, client.sign(cv5), config.url, reach.caFile);
          await print(`HTTP ${answer.status}`, answer);
        }
        let final: DuisAnswer | undefined = answer;
        const code = (a: DuisAnswer) => (a.decoded?.kind === 'response' ? a.decoded.responseCode : undefined);
        if (code(answer) === 'I99') {
          final = undefined;
          if (receiver === undefined) {
            if (!opts.json)
              process.stdout.write(
                "  acknowledged; results go to the User's receive-response URL (--no-wait)\n",
              );
            exit(EXIT.passed);
            return;
          }
          while (final === undefined) {
            const posted = await receiver.next(opts.timeout);
            if (posted === undefined) break;
            const callback = await client.read(
              posted.xml,
              decodeOutcomeHeader(posted.headers[OUTCOME_HEADER]),
            );
            if (isFor(callback, header.requestId)) {
              await print('callback', callback);
              if (code(callback) !== 'I99') final = callback;
            } else if (!opts.json)
              process.stdout.write(`  (callback about something else: ${describe(callback)})\n`);
          }
        }
        if (opts.json)
          process.stdout.write(
            `${JSON.stringify(
              {
                requestId: header.requestId,
                received: received.map((a) => ({
                  status: a.status,
                  signature: a.signature,
                  schema: a.schema,
                  decoded: a.decoded,
                  outcome: a.outcome,
                  problem: a.problem,
                  ...(registersOf.has(a) ? { registers: registersOf.get(a) } : {}),
                  xml: a.xml,
                })),
              },
              (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v),
              2,
            )}\n`,
          );
        if (final === undefined) {
          process.stdout.write(`no result within ${opts.timeout} ms of the acknowledgement\n`);
          exit(EXIT.error);
          return;
        }
        const trusted = received.every((a) => a.signature.ok && a.schema?.valid !== false);
        const outcome = code(final);
        if (!opts.json)
          process.stdout.write(
            `outcome: ${outcome ?? (final.decoded?.kind === 'deviceAlert' ? `device alert ${final.decoded.alertCode}` : (final.problem ?? 'no DUIS Response'))}${trusted ? '' : ' (an answer did not verify)'}\n`,
          );
        exit(outcome === 'I0' && trusted ? EXIT.passed : EXIT.failed);
      } finally {
        await receiver?.stop();
      }
    });
}

async function post(
  client: DuisClient,
  xml: string,
  url: string,
  caFile: string | undefined,
): Promise<DuisAnswer> {
  try {
    return await client.post(xml);
  } catch (err) {
    throw unreachable(url, err, caFile);
  }
}

/** Registers the receive-response URL (trialsim's PUT extension, DUIS-HTTP.md). */
async function register(
  base: string,
  eui: string,
  url: string,
  reach: { readonly ca?: string; readonly caFile: string | undefined },
): Promise<void> {
  let status: number;
  try {
    status = (
      await putText(
        `${base}/trialsim/v1/callback/${eui}`,
        url,
        reach.ca === undefined ? {} : { ca: reach.ca },
      )
    ).status;
  } catch (err) {
    throw unreachable(base, err, reach.caFile);
  }
  if (status !== 204)
    throw new TrialsimError('DUIS_UNREACHABLE', `${base} refused the callback registration (HTTP ${status})`);
}
