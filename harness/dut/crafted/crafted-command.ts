import { cborGbcsCodec } from '../../../simulator/adapters/wire/envelope.js';
import { type Eui, euiFromBytes, euiToBytes } from '../../../simulator/domain/eui.js';
import { macFor } from '../../../simulator/domain/gbcs/protection/protect.js';
import type { GbcsFrame, GbcsPayload } from '../../../simulator/domain/messages/gbcs-messages.js';
import { deviceExecution } from '../../../simulator/domain/services/service-catalogue.js';
import { signDeterministic } from '../../../simulator/domain/smki/key-pair.js';

/**
 * The harness's own GBCS commands for negative cases: build a command exactly as the DCC and
 * a DCC User would, then break one thing about it. This file is the only place that knows how a
 * command is laid out and protected on the device wire, so when the wire changes (CBOR payload
 * → GBCS APDUs) only this layer changes and every conformance case keeps its meaning.
 */
export const CORRUPTIONS = [
  /** A well-formed, properly protected command. */
  'none',
  /** One bit of the ECDSA signature flipped (critical commands). */
  'badSignature',
  /** One bit of the GMAC tag flipped (non-critical commands). */
  'badMac',
  /** Neither signature nor MAC. */
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
  /** Bytes that are not a payload at all, MACed as they are. */
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
  /** Network time of the command, ms. */
  readonly at: number;
  readonly body: Record<string, unknown>;
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

function payloadOf(command: CommandToCraft, cra: 1 | 2 = 1): GbcsPayload {
  return {
    cra,
    originator: euiToBytes(command.originator),
    recipient: euiToBytes(command.recipient),
    counter: command.counter,
    dateTime: Math.floor(command.at / 1000),
    messageCode: command.messageCode,
    body: command.body,
  };
}

function flipBit(bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0x01;
  return copy;
}

function acbMac(
  keys: CraftingKeys,
  originator: Eui,
  recipient: Eui,
  recipientKa: Uint8Array,
  counter: number,
  bytes: Uint8Array,
  macKey = keys.acbKaPrivate,
): Uint8Array {
  const context = { originator, recipient, kind: 'command' as const, counter: BigInt(counter) };
  return macFor(macKey, recipientKa, context, bytes);
}

/**
 * The frame for `command` with `corruption` applied. Critical commands are signed by the
 * originator (ECDSA over the payload bytes), the rest MACed by the ACB (PROTOCOL.md §5).
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
  let bytes =
    corruption === 'garbage'
      ? Uint8Array.from([0xff, 0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef])
      : cborGbcsCodec.encodePayload(payloadOf(header, corruption === 'notACommand' ? 2 : 1));
  const signedBytes =
    corruption === 'protectionOverOtherBytes'
      ? cborGbcsCodec.encodePayload(payloadOf({ ...header, body: { ...header.body, altered: true } }))
      : bytes;

  const frame: GbcsFrame = { payload: bytes };
  if (corruption !== 'noProtection') {
    if (critical) {
      const key =
        corruption === 'wrongKey'
          ? need(keys.otherDsPrivate, 'another DS key (signWith)', corruption)
          : keys.originatorDsPrivate;
      const signature = signDeterministic(signedBytes, key);
      frame.signature = corruption === 'badSignature' ? flipBit(signature) : signature;
    } else {
      const macKey = corruption === 'wrongKey' ? keys.originatorKaPrivate : keys.acbKaPrivate;
      frame.mac = acbMac(
        keys,
        header.originator,
        header.recipient,
        recipientKa,
        header.counter,
        signedBytes,
        macKey,
      );
      if (corruption === 'badMac') frame.mac = flipBit(frame.mac);
    }
  }
  if (corruption === 'truncated') {
    bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
    frame.payload = bytes;
  }
  return frame;
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

/** Reads a frame the device sent (never throws: an unreadable one has `cra` undefined). */
export function readDeviceFrame(frame: GbcsFrame): DeviceMessage {
  try {
    const p = cborGbcsCodec.decodePayload(frame.payload);
    return {
      cra: p.cra,
      messageCode: p.messageCode,
      counter: p.counter,
      inResponseTo: p.inResponseTo,
      dateTime: p.dateTime,
      body: p.body,
      originator: euiFromBytes(p.originator),
      recipient: euiFromBytes(p.recipient),
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
