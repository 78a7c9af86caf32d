import { cborContentCodec } from '../../../simulator/adapters/index.js';
import {
  commandMessageCode,
  computeGbcsMac,
  type DeviceType,
  decodeGbcsMessage,
  deviceExecution,
  dlmsDateTimeFromDate,
  dlmsDateTimeToDate,
  type Eui,
  ecdhSharedSecret,
  encodeGeneralSigning,
  encodeMacHeader,
  formatMessageCode,
  type GbcsFrame,
  type GbcsMessage,
  type GeneralSigningApdu,
  messageCodeOnly,
  readAlertContent,
  readCommandContent,
  readResponseContent,
  SIGNATURE_EMPTY,
  signGeneralSigning,
  srvForMessageCode,
  writeCommandContent,
} from '../../../simulator/domain/index.js';

/**
 * The harness's own GBCS commands for negative cases: build a command exactly as the DCC and
 * a DCC User would, then break one thing about it. This file is the only place that knows how a
 * command is laid out and protected on the device wire (GBCS APDUs, PROTOCOL.md §3–§5), so when
 * the wire changes only this layer changes and every conformance case keeps its meaning.
 */
export const CORRUPTIONS = [
  /** A well-formed, properly protected command. */
  'none',
  /** One bit of the ECDSA signature flipped, then MACed by the ACB as it is (critical commands). */
  'badSignature',
  /** One bit of the ACB's MAC flipped. */
  'badMac',
  /** Neither signature nor MAC: the bare general-signing APDU. */
  'noProtection',
  /** Critical: signed with another known party's DS key (`signWith`). Non-critical: MACed with
   *  the originator's own KA key instead of the ACB's. */
  'wrongKey',
  /** A valid signature (or MAC) over different bytes: the same command with another body. */
  'protectionOverOtherBytes',
  /** The header names another party (`originatorAs`) than the one that signed; an ACB MAC is
   *  made for that header, as the ACB would for any User. */
  'wrongOriginator',
  /** Addressed to another device (`recipientEui`), protected for that device. */
  'wrongRecipient',
  /** The protected bytes cut short in transit (protection made over the whole). */
  'truncated',
  /** Content that is no CBOR map at all, protected as it is. */
  'garbage',
  /** A response (CRA 2) sent to the device as if it were a command. */
  'notACommand',
] as const;
export type Corruption = (typeof CORRUPTIONS)[number];

/** What the harness knows of the command to build. Counters and times are the caller's. */
export interface CommandToCraft {
  readonly messageCode: string;
  readonly originator: Eui;
  readonly recipient: Eui;
  readonly counter: number;
  /** Network time of the command, ms (written in the header only when `dated`). */
  readonly at: number;
  /** Put `at` in the header's optional date-time field (the `dated` time-handling case). */
  readonly dated?: boolean;
  readonly body: Record<string, unknown>;
  /** The recipient's type: the message code is its use case on that type (default ESME). */
  readonly deviceType?: DeviceType;
}

/** The keys crafting needs, from the run's PKI and the DCC's SMKI repository. */
export interface CraftingKeys {
  /** The originator's DS private key (critical commands). */
  readonly originatorDsPrivate: Uint8Array;
  /** The originator's own KA private key (only for `wrongKey` on a non-critical command). */
  readonly originatorKaPrivate: Uint8Array;
  /** The ACB's KA private key: it MACs every non-critical command. */
  readonly acbKaPrivate: Uint8Array;
  /** The recipient device's KA public key (the DCC's SMKI copy). */
  readonly deviceKaPublic: Uint8Array;
  /** For `wrongKey` on a critical command: the DS private key of the party that signs instead. */
  readonly otherDsPrivate?: Uint8Array;
  /** For `wrongOriginator`: the EUI the header names. */
  readonly otherOriginator?: Eui;
  /** For `wrongRecipient`: the device the command is addressed to, and its KA public key. */
  readonly otherRecipient?: { readonly eui: Eui; readonly kaPublic: Uint8Array };
}

export function isCritical(messageCode: string): boolean {
  return deviceExecution(messageCode)?.critical ?? false;
}

function need<T>(value: T | undefined, what: string, corruption: Corruption): T {
  if (value === undefined) throw new RangeError(`corruption ${corruption} needs ${what}`);
  return value;
}

/** The command's general-signing APDU (signature field `00`), as the DCC builds it (User form). */
function apduOf(command: CommandToCraft, cra: 'command' | 'response' = 'command'): GeneralSigningApdu {
  const messageCode = commandMessageCode(command.messageCode, command.deviceType ?? 'ESME', command.body);
  const counter = BigInt(command.counter);
  return {
    cra,
    counter,
    originator: command.originator,
    recipient: command.recipient,
    // GBCS commands carry no date-time; a `dated` case puts one in the header's optional field.
    dateTime: command.dated ? dlmsDateTimeFromDate(new Date(command.at)) : null,
    otherInformation: messageCodeOnly(messageCode),
    // The use case's GBCS payload as the DCC writes it, or the trialsim-profile CBOR map.
    content: writeCommandContent(
      messageCode,
      command.body,
      // ECS17b names the requester and the ESME in its payload (GBCS.md §4.3).
      { counter, now: command.at, originator: command.originator, recipient: command.recipient },
      cborContentCodec,
    ),
    signature: SIGNATURE_EMPTY,
  };
}

/** Another payload of the same length: the last content byte changed (PROTOCOL.md §4). */
function alteredContent(content: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(content);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01;
  return copy;
}

/** The MAC field is the last 12 bytes of a MAC-headed message: flip one bit of it. */
function flipLastBit(bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0x01;
  return copy;
}

/**
 * The GBCS APDU for `command` with `corruption` applied (PROTOCOL.md §3, §4): a critical command
 * is signed by the originator over the bytes after `DF`, and every command is MACed by the ACB
 * for the recipient device over the general-signing APDU (the signature included).
 */
export function craftFrame(command: CommandToCraft, keys: CraftingKeys, corruption: Corruption): GbcsFrame {
  const critical = isCritical(command.messageCode);
  let header = command;
  if (corruption === 'wrongOriginator') {
    header = { ...command, originator: need(keys.otherOriginator, 'another originator', corruption) };
  }
  let recipientKa = keys.deviceKaPublic;
  if (corruption === 'wrongRecipient') {
    const other = need(keys.otherRecipient, 'another recipient', corruption);
    header = { ...command, recipient: other.eui };
    recipientKa = other.kaPublic;
  }
  let apdu = apduOf(header, corruption === 'notACommand' ? 'response' : 'command');
  if (corruption === 'garbage') {
    // Content that is no CBOR map at all, protected as it is.
    apdu = { ...apdu, content: Uint8Array.from([0xff, 0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef]) };
  }
  // Protection computed over another command (the same with another body), then applied to this one.
  const protectedApdu =
    corruption === 'protectionOverOtherBytes' ? { ...apdu, content: alteredContent(apdu.content) } : apdu;
  if (corruption === 'noProtection') return { apdu: encodeGeneralSigning(apdu) };

  let signed: GeneralSigningApdu = apdu;
  if (critical) {
    const key =
      corruption === 'wrongKey'
        ? need(keys.otherDsPrivate, 'another DS key (signWith)', corruption)
        : keys.originatorDsPrivate;
    const signature = signGeneralSigning(protectedApdu, key).signature;
    if (signature.kind !== 'signed') throw new Error('signing gave no signature');
    signed = {
      ...apdu,
      signature: {
        kind: 'signed',
        signature: corruption === 'badSignature' ? flipLastBit(signature.signature) : signature.signature,
      },
    };
  }
  // The ACB's MAC over what goes out (for protectionOverOtherBytes on a non-critical command:
  // over the other command, so the MAC is genuine but for other bytes).
  const macKey = corruption === 'wrongKey' && !critical ? keys.originatorKaPrivate : keys.acbKaPrivate;
  const macOver = corruption === 'protectionOverOtherBytes' && !critical ? protectedApdu : signed;
  const macOverGs = encodeGeneralSigning(macOver);
  const mac = computeGbcsMac(ecdhSharedSecret(macKey, recipientKa), macOver, macOverGs);
  let bytes = encodeMacHeader(encodeGeneralSigning(signed), corruption === 'badMac' ? flipLastBit(mac) : mac);
  if (corruption === 'truncated') bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
  return { apdu: bytes };
}

/** One message a device sent, as far as conformance checks need it. */
export interface DeviceMessage {
  /** 2 response, 3 alert; undefined when the payload could not be read. */
  readonly cra: number | undefined;
  readonly messageCode: string;
  readonly counter: number | undefined;
  readonly inResponseTo: number | undefined;
  /** Seconds since the epoch, the device's time when it sent it. */
  readonly dateTime: number | undefined;
  readonly body: Record<string, unknown>;
  /** EUIs as text, when readable. */
  readonly originator?: string;
  readonly recipient?: string;
}

/** The body of a message by its use case; content that does not read is an `error` body. */
function readContent(message: GbcsMessage): Record<string, unknown> {
  const { apdu, contentOffset } = message;
  const code = apdu.otherInformation.messageCode;
  try {
    if (apdu.cra === 'response')
      return readResponseContent(code, apdu.content, contentOffset, cborContentCodec);
    if (apdu.cra === 'command')
      return readCommandContent(code, apdu.content, contentOffset, cborContentCodec);
    return readAlertContent(code, apdu.content, contentOffset, cborContentCodec);
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/**
 * Reads a frame the device sent, or one sent to it (never throws: an unreadable one has `cra`
 * undefined; one whose content does not read keeps its header fields and an `error` body).
 */
export function readDeviceFrame(frame: GbcsFrame): DeviceMessage {
  try {
    const message = decodeGbcsMessage(frame.apdu);
    const { apdu } = message;
    const code = apdu.otherInformation.messageCode;
    const content = readContent(message);
    const time = apdu.dateTime === null ? undefined : dlmsDateTimeToDate(apdu.dateTime);
    const cra = apdu.cra === 'command' ? 1 : apdu.cra === 'response' ? 2 : 3;
    const { alertCode, ...body } = content;
    return {
      cra,
      messageCode:
        cra === 3 && typeof alertCode === 'string'
          ? alertCode
          : (srvForMessageCode(code) ?? formatMessageCode(code)),
      counter: Number(apdu.counter),
      inResponseTo: cra === 2 ? Number(apdu.counter) : undefined,
      dateTime: time === undefined ? undefined : Math.floor(time.getTime() / 1000),
      body: cra === 3 ? body : content,
      originator: apdu.originator,
      recipient: apdu.recipient,
    };
  } catch (err) {
    return {
      cra: undefined,
      messageCode: '(unreadable)',
      counter: undefined,
      inResponseTo: undefined,
      dateTime: undefined,
      body: { error: (err as Error).message },
    };
  }
}
