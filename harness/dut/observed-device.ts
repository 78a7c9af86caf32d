import { cborContentCodec } from '../../simulator/adapters/index.js';
import {
  appendLog,
  DEVICE_REJECTIONS,
  type DeviceState,
  decodeGbcsMessage,
  dlmsDateTimeToDate,
  readAlertContent,
  readCommandContent,
  readResponseContent,
  srvForMessageCode,
} from '../../simulator/domain/index.js';

// The codes the device machine writes to its security log: refusals, firmware verification failure.
const SECURITY_ALERTS: ReadonlySet<string> = new Set([...Object.values(DEVICE_REJECTIONS), '0x8F1C']);

interface SeenMessage {
  readonly cra: 'command' | 'response' | 'alert';
  /** The command's counter as the DCC sent it (echoed by its response), or the alert counter. */
  readonly counter: bigint;
  readonly messageCode: number;
  readonly body: Record<string, unknown>;
  /** The header date-time, ms: the device's clock when it sent the message. */
  readonly at: number | undefined;
}

/** A 32-byte image hash as hex, from the bytes (or hex text) a command carries. */
function imageHashOf(value: unknown): string | undefined {
  if (value instanceof Uint8Array && value.length === 32) return Buffer.from(value).toString('hex');
  if (typeof value === 'string' && /^[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase();
  return undefined;
}

/** The header and content of a raw APDU (its use case's GBCS payload, or trialsim-profile CBOR); undefined for anything else. */
function read(apduBytes: Uint8Array): SeenMessage | undefined {
  try {
    const message = decodeGbcsMessage(apduBytes);
    const { apdu, contentOffset } = message;
    const code = apdu.otherInformation.messageCode;
    const body =
      apdu.cra === 'response'
        ? readResponseContent(code, apdu.content, contentOffset, cborContentCodec)
        : apdu.cra === 'command'
          ? readCommandContent(code, apdu.content, contentOffset, cborContentCodec)
          : readAlertContent(code, apdu.content, contentOffset, cborContentCodec);
    return {
      cra: apdu.cra,
      counter: apdu.counter,
      messageCode: code,
      body,
      at: apdu.dateTime === null ? undefined : dlmsDateTimeToDate(apdu.dateTime)?.getTime(),
    };
  } catch {
    return undefined;
  }
}

/**
 * A device under test as far as its messages show it: the harness cannot read a real device's
 * memory, so `device:` checks on a DUT are answered from the wire (PROTOCOL.md §8.3) — commissioned
 * once it answered 8.1.1 with success, the firmware version it last reported, and the security
 * alerts it raised since its last reset. Payloads travel in clear (MACs give integrity only).
 */
export class ObservedDevice {
  private current: DeviceState;
  /** SRV of each command the DCC sent, by its transaction counter (a response echoes it). */
  private readonly commands = new Map<bigint, string>();
  /** The image hash each 11.3 named, by its counter: a success answer says that image now runs. */
  private readonly activations = new Map<bigint, string>();
  private shownHash: string | undefined;

  constructor(factory: DeviceState) {
    this.current = factory;
  }

  get state(): DeviceState {
    return this.current;
  }

  reset(factory: DeviceState): void {
    this.current = factory;
    this.commands.clear();
    this.activations.clear();
    this.shownHash = undefined;
  }

  /**
   * The SHA-256 (hex) of the image the device runs, as its own messages showed it: the image an
   * 11.3 named, once the device answered that 11.3 with success. Undefined until one did.
   */
  get imageHashShown(): string | undefined {
    return this.shownHash;
  }

  /** A message the DCC sent the device (WAN down): a raw GBCS APDU. */
  sawCommand(apduBytes: Uint8Array): void {
    const command = read(apduBytes);
    if (command?.cra !== 'command') return;
    const srv = srvForMessageCode(command.messageCode, this.current.identity.deviceType);
    if (srv !== undefined) this.commands.set(command.counter, srv);
    const hash = imageHashOf(command.body.imageHash);
    if (srv === '11.3' && hash !== undefined && command.body.executionDateTime === undefined)
      this.activations.set(command.counter, hash);
  }

  /** A message the device sent (WAN up). */
  sawDeviceMessage(apduBytes: Uint8Array): void {
    const message = read(apduBytes);
    if (message === undefined) return;
    const { body } = message;
    const detail = typeof body.detail === 'string' ? body.detail : '';
    if (message.cra === 'alert') {
      const code = typeof body.alertCode === 'string' ? body.alertCode : 'unknown';
      const at = message.at ?? 0;
      const entry = { at, code, detail };
      // 0x8F43 "change in executing firmware version" names the version now running.
      if (code === '0x8F43' && typeof body.firmwareVersion === 'string') {
        this.current = { ...this.current, firmwareVersion: body.firmwareVersion };
      }
      this.current = SECURITY_ALERTS.has(code)
        ? { ...this.current, securityLog: appendLog(this.current.securityLog, entry) }
        : { ...this.current, eventLog: appendLog(this.current.eventLog, entry) };
      return;
    }
    if (message.cra !== 'response') return;
    const srv = this.commands.get(message.counter);
    if (body.status !== 'success') return;
    if (srv === '8.1.1') this.current = { ...this.current, lifecycle: 'commissioned' };
    if (srv === '8.3') this.current = { ...this.current, lifecycle: 'decommissioned' };
    const activated = srv === '11.3' ? this.activations.get(message.counter) : undefined;
    if (activated !== undefined) {
      this.shownHash = activated;
      this.current = { ...this.current, firmware: { ...this.current.firmware, runningImageHash: activated } };
    }
    if (typeof body.firmwareVersion === 'string') {
      this.current = { ...this.current, firmwareVersion: body.firmwareVersion };
    }
  }
}
