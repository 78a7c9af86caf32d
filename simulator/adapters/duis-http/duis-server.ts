import { createHash } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { futureDatedSrvOf } from '../../domain/duis/future-dated-outcome.js';
import type { ResponseCode } from '../../domain/duis/response-codes.js';
import { lookupSrv } from '../../domain/duis/srv-catalogue.js';
import { UnmodelledBodyError } from '../../domain/duis/xml/duis-request-bodies.js';
import {
  type DuisRequestHeader,
  decodeDuisRequest,
  readRequestHeader,
} from '../../domain/duis/xml/duis-request-xml.js';
import {
  type CertificateHashes,
  encodeDuisAlert,
  encodeDuisResponse,
} from '../../domain/duis/xml/duis-response-xml.js';
import { DuisXmlError, parseXml } from '../../domain/duis/xml/duis-xml.js';
import { type Eui, parseEui } from '../../domain/eui.js';
import type { DccAlert, ServiceResponse } from '../../domain/messages/duis-messages.js';
import type { DccNode, UserMessage } from '../../nodes/dcc-node.js';
import type { SchedulingClock } from '../../ports/clock.js';
import type { MessageTrace } from '../../trace/message-trace.js';
import { CallbackDelivery, type InFlight } from './callback-delivery.js';
import type { DuisTrust } from './duis-trust.js';
import { type TlsOnlyListener, tlsOnlyListener } from './tls-only-listener.js';
import { encodeOutcomeHeader, OUTCOME_HEADER } from './trialsim-outcome-header.js';
import { signDuis, verifyDuis } from './xml-signature.js';
import type { DuisSchema } from './xsd-validator.js';

/** DCC Boxed's web services (DUIS.md §2.3, §8) and the command variants each takes. */
export const DUIS_SERVICES: Readonly<Record<string, readonly number[]>> = {
  '/api/v1/serviceS': [1, 3, 5, 7],
  '/api/v1/serviceT': [4],
  '/api/v1/serviceD': [2, 6, 8],
};

/** The web service a command variant is sent to. */
export function serviceFor(commandVariant: number): string {
  return (
    Object.entries(DUIS_SERVICES).find(([, cvs]) => cvs.includes(commandVariant))?.[0] ?? '/api/v1/serviceS'
  );
}

/** DCC Boxed's DSP EUI: DUIS clients and the templates target non-device SRVs at it (DUIS.md §2.1). */
export const BOXED_DSP_EUI = parseEui('90-B3-D5-1F-30-00-00-02');

/** 11.1's image is at most 10,240,000 base64 characters (DUIS.md §4); the rest of a request is small. */
export const DEFAULT_MAX_REQUEST_BYTES = 11 * 1024 * 1024;

/** XML kept in a trace entry: enough to read any request but an 11.1 image. */
const TRACE_XML_CHARS = 64 * 1024;

export interface DuisServerOptions {
  readonly dcc: DccNode;
  readonly dccEui: Eui;
  readonly clock: SchedulingClock;
  readonly trace: MessageTrace;
  readonly schema: DuisSchema;
  readonly trust: DuisTrust;
  readonly host?: string;
  readonly port?: number;
  /**
   * HTTPS with this key and certificate (PEM); plain HTTP otherwise. A plain-HTTP client on the
   * HTTPS port is answered 400 in plain text, saying so (tls-only-listener.ts).
   */
  readonly tls?: { readonly key: string; readonly cert: string };
  /**
   * CA certificates (PEM) a User's https:// receive-response URL must chain to; without it,
   * Node's public roots. Separate from `tls`: the Users' servers are not the DCC's.
   */
  readonly callbackCa?: string;
  readonly maxRequestBytes?: number;
  readonly inFlight?: InFlight;
  /** The DS and KA certificate hashes of a party, for SecurityCredentialsUpdated alerts. */
  readonly certificateHashes?: CertificateHashes;
}

/** A request refused at the DUIS boundary, before the DCC saw it. */
export interface DuisRefusal {
  readonly at: number;
  readonly requestId: string | undefined;
  readonly responseCode: ResponseCode;
  readonly rule: string;
  readonly reason: string;
}

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: ResponseCode,
    readonly rule: string,
    reason: string,
    readonly header?: DuisRequestHeader,
  ) {
    super(reason);
  }
}

function traceXml(xml: string): Record<string, unknown> {
  return xml.length <= TRACE_XML_CHARS
    ? { xml }
    : {
        xml: `${xml.slice(0, TRACE_XML_CHARS)}…`,
        xmlLength: xml.length,
        xmlSha256: createHash('sha256').update(xml).digest('hex'),
      };
}

/**
 * DUIS XML over HTTP(S) in front of the DCC, on DCC Boxed's paths: a signed request in, the
 * DCC's first answer signed out at once (`application/xml`), everything later POSTed signed to
 * the User's receive-response URL. It is the same DCC — the requests go to the DccNode's core —
 * only reached another way. Each message is validated against the DUIS 5.4 XSD once, here, on
 * the way in and on the way out. Nothing a client sends can crash it: every refusal is answered
 * with its DUIS code where the request could be read, and recorded (trace and `refusals`).
 */
export class DuisServer {
  readonly refusals: DuisRefusal[] = [];
  private readonly callbacks = new Map<Eui, CallbackDelivery>();
  /** RequestIDs that named Boxed's DSP EUI, by the ID the DCC saw: answers carry the original. */
  private readonly externalIds = new Map<string, string>();
  private responseCounter = 0;

  private constructor(
    private readonly options: DuisServerOptions,
    private readonly server: Server,
    /** For HTTPS, what listens and hands `server` its TLS connections; `server` itself listens otherwise. */
    private readonly tlsListener: TlsOnlyListener | undefined,
    readonly url: string,
  ) {}

  static async start(options: DuisServerOptions): Promise<DuisServer> {
    let instance: DuisServer | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void instance?.handle(req, res);
    };
    let url = '';
    const server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : createHttpServer(handler);
    const tlsListener = options.tls ? tlsOnlyListener(server, () => url) : undefined;
    const listener = tlsListener?.server ?? server;
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = listener.address() as AddressInfo;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    url = `${options.tls ? 'https' : 'http'}://${shownHost}:${port}`;
    instance = new DuisServer(options, server, tlsListener, url);
    return instance;
  }

  /**
   * Registers a User's receive-response URL: from now on its responses and alerts reach it there,
   * signed, instead of on its MQTT topic. `ephemeralPort`: the port is the operating system's
   * choice, which the trace does not name (CallbackDelivery).
   */
  registerCallback(user: Eui, url: string, options: { readonly ephemeralPort?: boolean } = {}): void {
    const delivery = new CallbackDelivery({
      user,
      url,
      ...(options.ephemeralPort === undefined ? {} : { ephemeralPort: options.ephemeralPort }),
      clock: this.options.clock,
      trace: this.options.trace,
      render: (message) => this.renderAsync(user, message),
      ...(this.options.inFlight === undefined ? {} : { inFlight: this.options.inFlight }),
      ...(this.options.callbackCa === undefined ? {} : { ca: this.options.callbackCa }),
    });
    this.callbacks.set(user, delivery);
    this.options.dcc.attachUserChannel(user, delivery);
    this.options.trace.add({
      at: this.options.clock.now(),
      from: user,
      to: 'DCC',
      kind: 'notice',
      summary: `DUIS receive-response URL of ${user}: ${delivery.tracedUrl}`,
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const route = req.url?.split('?')[0] ?? '';
      if (req.method === 'PUT' && route.startsWith('/trialsim/v1/callback/'))
        return await this.handleRegistration(req, res, route);
      const service = DUIS_SERVICES[route];
      if (req.method !== 'POST' || service === undefined) {
        res
          .writeHead(404, { 'content-type': 'text/plain' })
          .end(`no DUIS service at ${req.method} ${route} (POST ${Object.keys(DUIS_SERVICES).join(', ')})\n`);
        return;
      }
      const { status, xml, headers } = await this.answer(req, route, service);
      res.writeHead(status, {
        'content-type': xml === undefined ? 'text/plain' : 'application/xml',
        ...headers,
      });
      res.end(xml ?? headers[OUTCOME_HEADER] ?? '');
    } catch (err) {
      // Last line of defence: an answer the endpoint could not even write is still an answer.
      this.options.trace.add({
        at: this.options.clock.now(),
        from: 'DUIS',
        to: 'DCC',
        kind: 'notice',
        summary: `DUIS endpoint fault: ${String(err)}`,
      });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    }
  }

  private async handleRegistration(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    const body = (await readBody(req, 4096)).toString('utf8').trim();
    let eui: Eui;
    try {
      eui = parseEui(route.slice('/trialsim/v1/callback/'.length));
      const url = new URL(body);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    } catch (err) {
      res
        .writeHead(400, { 'content-type': 'text/plain' })
        .end(`PUT /trialsim/v1/callback/<EUI> with a URL as the body: ${(err as Error).message}\n`);
      return;
    }
    this.registerCallback(eui, body);
    res.writeHead(204).end();
  }

  /** Reads, checks, hands to the DCC and writes the synchronous answer. */
  private async answer(
    req: IncomingMessage,
    route: string,
    allowedCvs: readonly number[],
  ): Promise<{ status: number; xml?: string; headers: Record<string, string> }> {
    const now = this.options.clock.now();
    let header: DuisRequestHeader | undefined;
    try {
      const max = this.options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > max)
        throw new Refused(
          413,
          'E12',
          'DUIS-OVERSIZED',
          `request of ${declared} bytes is over the ${max}-byte limit`,
        );
      const raw = await readBody(req, max).catch((err: Error) => {
        throw new Refused(413, 'E12', 'DUIS-OVERSIZED', err.message);
      });
      const type = String(req.headers['content-type'] ?? '');
      if (!/^(application|text)\/xml\b/i.test(type))
        throw new Refused(
          415,
          'E12',
          'DUIS-CONTENT-TYPE',
          `Content-Type must be application/xml, not "${type || 'none'}"`,
        );
      const text = raw.toString('utf8');
      let doc: ReturnType<typeof parseXml>;
      try {
        doc = parseXml(text);
        header = readRequestHeader(doc);
      } catch (err) {
        throw new Refused(400, 'E12', 'DUIS-XML', (err as Error).message);
      }
      this.options.trace.add({
        at: now,
        from: header.requestId.split(':')[0] ?? '?',
        to: 'DCC',
        kind: 'duisRequest',
        summary: `POST ${route} ${header.serviceReferenceVariant} CV ${header.commandVariant} ${header.requestId}`,
        detail: traceXml(text),
      });
      const verdict = await this.options.schema.validate(text);
      if (!verdict.valid)
        throw new Refused(400, 'E12', 'DUIS-XSD', `not valid DUIS 5.4: ${verdict.errors.join('; ')}`, header);
      const signature = verifyDuis(text, (serial) => this.options.trust.userBySerial(serial)?.certificate);
      if (!signature.ok)
        throw new Refused(
          400,
          'E1',
          `DUIS-XMLDSIG-${signature.problem.toUpperCase()}`,
          signature.detail,
          header,
        );
      const signer = this.options.trust.userBySerial(signature.serial);
      const originator = header.requestId.split(':')[0]?.toUpperCase();
      if (signer === undefined || signer.eui !== originator)
        throw new Refused(
          400,
          'E1',
          'DUIS-XMLDSIG-SIGNER',
          `signed by ${signer?.eui ?? 'an unknown party'}, but the RequestID names ${originator} as its originator`,
          header,
        );
      if (header.commandVariant === 9)
        throw new Refused(
          200,
          'E12',
          'DUIS-CV9',
          'CV 9 is internal to the DCC Data Systems (DUIS 5.4 XSD)',
          header,
        );
      if (!allowedCvs.includes(header.commandVariant))
        throw new Refused(
          200,
          'E12',
          'DUIS-WEB-SERVICE',
          `CV ${header.commandVariant} is not sent to ${route} (send it to ${serviceFor(header.commandVariant)})`,
          header,
        );
      let decoded: ReturnType<typeof decodeDuisRequest>;
      try {
        decoded = decodeDuisRequest(doc);
      } catch (err) {
        if (err instanceof UnmodelledBodyError)
          throw new Refused(200, 'E12', 'TRIALSIM-DUIS-UNMODELLED', err.message, header);
        if (err instanceof DuisXmlError) throw new Refused(200, 'E12', 'DUIS-BODY', err.message, header);
        throw err;
      }
      const request = this.internalRequest(decoded.request);
      const answer = this.options.dcc.submitRequest(signer.eui, request);
      if (answer === undefined)
        throw new Refused(500, 'E12', 'DUIS-NO-ANSWER', 'the DCC gave no answer to the request', header);
      return await this.signedAnswer(200, this.external(answer), false);
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      return this.refusal(err, header ?? err.header, now);
    }
  }

  /** Non-device SRVs aimed at Boxed's DSP EUI are this DCC's: the DCC sees its own EUI. */
  private internalRequest(request: ServiceResponse | ReturnType<typeof decodeDuisRequest>['request']) {
    const r = request as ReturnType<typeof decodeDuisRequest>['request'];
    const [originator, target, counter] = r.requestId.split(':');
    if (target?.toUpperCase() !== BOXED_DSP_EUI || lookupSrv(r.serviceReferenceVariant)?.nonDevice !== true)
      return r;
    const internalId = `${originator}:${this.options.dccEui}:${counter}`;
    this.externalIds.set(internalId, r.requestId);
    return { ...r, requestId: internalId };
  }

  private external(response: ServiceResponse): ServiceResponse {
    const id = this.externalIds.get(response.requestId);
    return id === undefined ? response : { ...response, requestId: id };
  }

  private async refusal(err: Refused, header: DuisRequestHeader | undefined, now: number) {
    this.refusals.push({
      at: now,
      requestId: header?.requestId,
      responseCode: err.code,
      rule: err.rule,
      reason: err.message,
    });
    this.options.trace.add({
      at: now,
      from: 'DCC',
      to: header?.requestId.split(':')[0] ?? '?',
      kind: 'duisRefusal',
      summary: `${err.code} ${err.rule}: ${err.message}`,
      detail: { requestId: header?.requestId, responseCode: err.code, rule: err.rule, reason: err.message },
    });
    const outcome = { [OUTCOME_HEADER]: encodeOutcomeHeader({ rule: err.rule, reason: err.message }) };
    if (
      header === undefined ||
      (lookupSrv(header.serviceReferenceVariant) === undefined &&
        !/^\d+(\.\d+)+$/.test(header.serviceReferenceVariant))
    ) {
      // Nothing names the request: no DUIS Response can be written (it must name the SRV).
      return { status: err.status, headers: outcome };
    }
    const response: ServiceResponse = {
      requestId: header.requestId,
      responseId: '',
      serviceReferenceVariant: header.serviceReferenceVariant,
      responseCode: err.code,
      rule: err.rule,
      reason: err.message,
    };
    try {
      return await this.signedAnswer(err.status, response, false);
    } catch {
      // The header was readable but not valid DUIS (the SRV unknown to the XSD): say it in text.
      return { status: err.status, headers: outcome };
    }
  }

  private async signedAnswer(status: number, response: ServiceResponse, asynchronous: boolean) {
    const xml = await this.sign(
      encodeDuisResponse(response, {
        now: this.options.clock.now(),
        withResponseId: asynchronous && response.responseId !== '',
        // The device's APDU as it arrived (DUIS.md §3.1 shape 4); the DCC core sets it only on a
        // device's response, so non-device answers, refusals and timeouts carry none.
        ...(asynchronous && response.gbcsPayload !== undefined ? { gbcsPayload: response.gbcsPayload } : {}),
      }),
    );
    this.options.trace.add({
      at: this.options.clock.now(),
      from: 'DCC',
      to: response.requestId.split(':')[0] ?? '?',
      kind: 'duisResponse',
      summary: `${asynchronous ? 'callback' : 'HTTP'} ${response.serviceReferenceVariant} ${response.responseCode} ${response.requestId}`,
      detail: traceXml(xml),
    });
    return {
      status,
      xml,
      headers: {
        [OUTCOME_HEADER]: encodeOutcomeHeader({
          ...(response.rule === undefined ? {} : { rule: response.rule }),
          ...(response.reason === undefined ? {} : { reason: response.reason }),
          ...(response.body === undefined ? {} : { body: response.body }),
        }),
      },
    };
  }

  /** Signs and checks against the XSD on the way out: the DCC never sends invalid DUIS. */
  private async sign(xml: string): Promise<string> {
    const signed = signDuis(xml, this.options.trust.dccSigner);
    const verdict = await this.options.schema.validate(signed);
    if (!verdict.valid) throw new Error(`trialsim wrote invalid DUIS: ${verdict.errors.join('; ')}`);
    return signed;
  }

  private async renderAsync(
    user: Eui,
    message: UserMessage,
  ): Promise<{ xml: string; headers: Record<string, string> }> {
    if (message.kind === 'serviceResponse') {
      const { xml, headers } = await this.signedAnswer(200, this.external(message.message), true);
      return { xml: xml as string, headers };
    }
    const alert = message.message;
    const apdu = alert.alert === 'DeviceAlert' ? deviceAlertApdu(alert) : undefined;
    // A future-dated command's outcome (0x00CA, 0x00CB) is FutureDatedDeviceAlertMessage (DUIS.md §3.1).
    const futureDatedSrv =
      apdu === undefined ? undefined : futureDatedSrvOf(apdu, this.options.dcc.core.state.config.cosEui);
    const xml = await this.sign(
      encodeDuisAlert(alert, {
        now: this.options.clock.now(),
        responseId: `${alert.deviceId}:${user}:${++this.responseCounter}`,
        ...(apdu === undefined ? {} : { gbcsPayload: apdu }),
        ...(futureDatedSrv === undefined ? {} : { futureDatedSrv }),
        ...(this.options.certificateHashes === undefined
          ? {}
          : { certificateHashes: this.options.certificateHashes }),
      }),
    );
    this.options.trace.add({
      at: this.options.clock.now(),
      from: 'DCC',
      to: user,
      kind: 'duisAlert',
      summary: `callback ${alert.alert}${alert.alertCode ? ` ${alert.alertCode}` : ''} ${alert.deviceId}`,
      detail: traceXml(xml),
    });
    return {
      xml,
      headers: {
        [OUTCOME_HEADER]: encodeOutcomeHeader({
          // The whole alert, so trialsim's own User agents over DUIS read it back exactly.
          body: {
            alert: alert.alert,
            ...(alert.details === undefined ? {} : { details: alert.details }),
            dccAlert: alert,
          },
        }),
      },
    };
  }

  async stop(): Promise<void> {
    const listener = this.tlsListener?.server ?? this.server;
    const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
    this.server.closeAllConnections();
    if (this.tlsListener !== undefined) {
      this.tlsListener.destroyConnections();
      this.server.close();
    }
    await closed;
  }
}

/**
 * A DeviceAlertMessage must carry the device's alert as it sent it (DUIS.md §3); the DCC core
 * always attaches it, so one without is a trialsim fault, said so rather than sent empty.
 */
function deviceAlertApdu(alert: DccAlert): Uint8Array {
  if (alert.gbcsPayload === undefined)
    throw new Error(
      `DeviceAlert ${alert.alertCode ?? '?'} for ${alert.deviceId} has no device APDU for GBCSPayload`,
    );
  return alert.gbcsPayload;
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Error(`request is over the ${max}-byte limit`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
