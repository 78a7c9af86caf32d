import type { X509Certificate } from 'node:crypto';
import { readRequestHeader } from '../../domain/duis/xml/duis-request-xml.js';
import { type DecodedDuisResponse, decodeDuisResponse } from '../../domain/duis/xml/duis-response-xml.js';
import { DS_NS, parseXml, serializeXml, stripInsignificant } from '../../domain/duis/xml/duis-xml.js';
import { serviceFor } from './duis-server.js';
import { postXml } from './http-post.js';
import { decodeOutcomeHeader, OUTCOME_HEADER, type TrialsimOutcome } from './trialsim-outcome-header.js';
import { decimalSerial, signDuis, verifyDuis, type XmlSigner } from './xml-signature.js';
import type { DuisSchema } from './xsd-validator.js';

/** A DUIS message the DCC sent (the synchronous answer or a callback), as a client reads it. */
export interface DuisAnswer {
  readonly xml: string;
  /** HTTP status of a synchronous answer; undefined for a callback. */
  readonly status?: number;
  /** Whether the DCC's DSP XmlSign signature verifies, and if not why. */
  readonly signature: { readonly ok: true } | { readonly ok: false; readonly problem: string };
  /** XSD check, when the client has the schema. */
  readonly schema?: { readonly valid: true } | { readonly valid: false; readonly errors: readonly string[] };
  /** The DUIS content; undefined when the answer is not a DUIS Response (then `problem` says why). */
  readonly decoded?: DecodedDuisResponse;
  /** trialsim's rule, reason and result body, from the X-Trialsim-Outcome header. */
  readonly outcome: TrialsimOutcome;
  readonly problem?: string;
}

/**
 * The DCC Boxed form of a request document (DUIS.md §7, §9 trap 1): no XML declaration, no
 * comments, no whitespace between elements, no placeholder signature left from a template.
 */
export function canonicalRequestXml(xml: string): string {
  const doc = parseXml(xml.replace(/^\uFEFF?\s*<\?xml[^>]*\?>/, '').trim());
  stripInsignificant(doc);
  const root = doc.documentElement;
  if (root !== null) {
    for (let node = root.firstChild; node !== null; ) {
      const next = node.nextSibling;
      const element = node as unknown as { localName?: string; namespaceURI?: string };
      if (element.localName === 'Signature' && element.namespaceURI === DS_NS) root.removeChild(node);
      node = next;
    }
  }
  return serializeXml(doc);
}

/** The web service path a request document goes to, from its CommandVariant. */
export function servicePathOf(xml: string): string {
  return serviceFor(readRequestHeader(parseXml(xml)).commandVariant);
}

/**
 * A DUIS User's side of the HTTP interface: sign a request with the User's XmlSign key, POST it
 * to the web service its command variant belongs to, and read what the DCC answers (at once, or
 * later on the receive-response URL), checking the DCC's signature every time.
 */
export class DuisClient {
  constructor(
    private readonly options: {
      /** The endpoint's base URL (`http://127.0.0.1:8079`). */
      readonly url: string;
      readonly signer?: XmlSigner;
      /** The DCC's DSP XmlSign certificate: the only key DCC answers may be signed with. */
      readonly dspCertificate: X509Certificate;
      readonly schema?: DuisSchema;
      /** CA certificate (PEM) an HTTPS endpoint's certificate must chain to. */
      readonly ca?: string;
      readonly timeoutMs?: number;
    },
  ) {}

  /** Signs a whitespace-free request document with the User's XmlSign key. */
  sign(xml: string): string {
    if (this.options.signer === undefined) throw new Error('this DUIS client has no XmlSign key');
    return signDuis(xml, this.options.signer);
  }

  /** POSTs a (signed) request document and reads the synchronous answer. */
  async post(xml: string, path = servicePathOf(xml)): Promise<DuisAnswer> {
    const answer = await postXml(`${this.options.url}${path}`, xml, {
      ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
      ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
    });
    const outcome = decodeOutcomeHeader(answer.headers[OUTCOME_HEADER]);
    const type = String(answer.headers['content-type'] ?? '');
    if (!type.startsWith('application/xml'))
      return {
        xml: answer.body,
        status: answer.status,
        signature: { ok: false, problem: 'the answer is not XML' },
        outcome,
        problem: `HTTP ${answer.status} without a DUIS Response${outcome.rule ? ` (${outcome.rule}: ${outcome.reason ?? ''})` : `: ${answer.body.trim().slice(0, 200)}`}`,
      };
    return { ...(await this.read(answer.body, outcome)), status: answer.status };
  }

  /** Reads a DUIS message from the DCC: signature, schema, content. */
  async read(xml: string, outcome: TrialsimOutcome = {}): Promise<DuisAnswer> {
    let signature: DuisAnswer['signature'];
    try {
      const dsp = this.options.dspCertificate;
      const verdict = verifyDuis(xml, (serial) => (serial === decimalSerial(dsp) ? dsp : undefined));
      signature = verdict.ok ? { ok: true } : { ok: false, problem: `${verdict.problem}: ${verdict.detail}` };
    } catch (err) {
      return {
        xml,
        signature: { ok: false, problem: 'not XML' },
        outcome,
        problem: `not well-formed XML: ${(err as Error).message}`,
      };
    }
    const schema = this.options.schema === undefined ? undefined : await this.options.schema.validate(xml);
    try {
      const decoded = decodeDuisResponse(parseXml(xml));
      return { xml, signature, ...(schema === undefined ? {} : { schema }), decoded, outcome };
    } catch (err) {
      return {
        xml,
        signature,
        ...(schema === undefined ? {} : { schema }),
        outcome,
        problem: `not a DUIS Response trialsim can read: ${(err as Error).message}`,
      };
    }
  }
}
