import { createRequire } from 'node:module';

/**
 * The part of the W3C DOM trialsim reads. @xmldom/xmldom's own typings pull the whole browser
 * DOM library into every compilation unit (\`/// <reference lib="dom" />\`), which changes what
 * \`Uint8Array\` and \`crypto\` mean for the rest of the code; so it is loaded untyped, behind these.
 */
export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly firstChild: DomNode | null;
  readonly nextSibling: DomNode | null;
  readonly parentNode: DomNode | null;
  readonly nodeValue: string | null;
  readonly textContent: string | null;
  removeChild(child: DomNode): DomNode;
}
export interface DomElement extends DomNode {
  readonly namespaceURI: string | null;
  readonly localName: string;
  getAttribute(name: string): string | null;
}
export interface DomDocument extends DomNode {
  readonly documentElement: DomElement | null;
}
interface DomParserOptions {
  readonly errorHandler: {
    warning(msg: unknown): void;
    error(msg: unknown): void;
    fatalError(msg: unknown): void;
  };
}
interface Xmldom {
  readonly DOMParser: new (
    options: DomParserOptions,
  ) => {
    parseFromString(text: string, type: string): DomDocument;
  };
  readonly XMLSerializer: new () => { serializeToString(node: DomNode): string };
}
const xmldom = createRequire(import.meta.url)('@xmldom/xmldom') as Xmldom;

/** Serialises a DOM node back to XML text. */
export function serializeXml(node: DomNode): string {
  return new xmldom.XMLSerializer().serializeToString(node);
}

/** DUIS namespaces (DUIS.md §1): every DUIS element is qualified, `elementFormDefault`. */
export const SR_NS = 'http://www.dccinterface.co.uk/ServiceUserGateway';
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
/** What trialsim writes in `schemaVersion` (DUIS.md §12: accept 5.1 … 5.4, write 5.4). */
export const SCHEMA_VERSION_WRITTEN = '5.4';
/** Stands in for an MPxN DUIS requires where trialsim keeps none (its SMI has no MPxNs). */
export const UNKNOWN_MPXN = '0000000000000';

/** A DUIS document trialsim cannot read: what is wrong and where, for the refusal and the trace. */
export class DuisXmlError extends Error {
  constructor(
    message: string,
    /** The RequestID, when it could be read before the problem: the refusal then names it. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'DuisXmlError';
  }
}

/**
 * Parses DUIS XML into a DOM. A DOCTYPE is refused before parsing (XXE, DUIS.md §9 trap 7, as DCC
 * Boxed's signing tool refuses it), and so is anything not well-formed.
 */
export function parseXml(text: string): DomDocument {
  if (/<!DOCTYPE/i.test(text)) throw new DuisXmlError('a DOCTYPE declaration is not allowed in DUIS XML');
  const problems: string[] = [];
  const record = (msg: unknown) => {
    problems.push(String(msg).split('\n')[0] ?? String(msg));
  };
  const doc = new xmldom.DOMParser({
    errorHandler: { warning: record, error: record, fatalError: record },
  }).parseFromString(text, 'application/xml');
  if (problems.length > 0 || doc.documentElement === null) {
    throw new DuisXmlError(`not well-formed XML: ${problems[0] ?? 'no root element'}`);
  }
  return doc;
}

/** Child elements of `parent`, in order (text, comments and processing instructions skipped). */
export function childElements(parent: DomElement): DomElement[] {
  const out: DomElement[] = [];
  for (let n = parent.firstChild; n !== null; n = n.nextSibling)
    if (n.nodeType === 1) out.push(n as DomElement);
  return out;
}

/** The DUIS child named `name`, if present. */
export function child(parent: DomElement, name: string): DomElement | undefined {
  return childElements(parent).find((e) => e.namespaceURI === SR_NS && e.localName === name);
}

export function requiredChild(parent: DomElement, name: string): DomElement {
  const found = child(parent, name);
  if (found === undefined) throw new DuisXmlError(`${parent.localName} has no ${name}`);
  return found;
}

export function text(element: DomElement): string {
  return (element.textContent ?? '').trim();
}

export function childText(parent: DomElement, name: string): string | undefined {
  const found = child(parent, name);
  return found === undefined ? undefined : text(found);
}

export function requiredText(parent: DomElement, name: string): string {
  return text(requiredChild(parent, name));
}

/**
 * Removes whitespace-only text between elements and comments, in place. DCC Boxed's verifier
 * parses with element-content whitespace ignored and checks the signature over what is left
 * (DUIS.md §9 trap 1), so a received document is checked in this form as well as verbatim.
 */
export function stripInsignificant(node: DomNode): void {
  for (let n = node.firstChild; n !== null; ) {
    const next = n.nextSibling;
    if (n.nodeType === 8 || (n.nodeType === 3 && /^\s*$/.test(n.nodeValue ?? '') && hasElementSibling(n))) {
      node.removeChild(n);
    } else if (n.nodeType === 1) stripInsignificant(n);
    n = next;
  }
}

function hasElementSibling(n: DomNode): boolean {
  const parent = n.parentNode;
  if (parent === null) return false;
  for (let s = parent.firstChild; s !== null; s = s.nextSibling) if (s.nodeType === 1) return true;
  return false;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeXml(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ESCAPES[c] as string);
}

/** Content of an element being written: text, nested elements, or nothing (omitted). */
export type XmlContent = string | number | boolean | readonly (string | undefined)[] | undefined;

/**
 * One `sr:` element, whitespace-free (DUIS.md §9: sign and send whitespace-free XML). Text is
 * escaped; an array is nested elements already written; `undefined` omits the element, so
 * optional fields read naturally at the call site. An empty array writes an empty element.
 */
export function sr(name: string, content: XmlContent): string {
  if (content === undefined) return '';
  if (Array.isArray(content)) {
    const inner = content.filter((c) => c !== undefined).join('');
    return inner === '' ? `<sr:${name}/>` : `<sr:${name}>${inner}</sr:${name}>`;
  }
  return `<sr:${name}>${escapeXml(String(content))}</sr:${name}>`;
}

/** The root element of a DUIS document (`Request` or `Response`). */
export function srRoot(name: 'Request' | 'Response', inner: readonly string[]): string {
  return `<sr:${name} xmlns:sr="${SR_NS}" schemaVersion="${SCHEMA_VERSION_WRITTEN}">${inner.join('')}</sr:${name}>`;
}
