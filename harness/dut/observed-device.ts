import { decodeEnvelope, decodeGbcsPayload } from '../../simulator/adapters/wire/envelope.js';
import { DEVICE_REJECTIONS } from '../../simulator/domain/device/device-machine.js';
import { appendLog, type DeviceState } from '../../simulator/domain/device/device-state.js';
import type { GbcsPayload } from '../../simulator/domain/messages/gbcs-messages.js';

// The codes the device machine writes to its security log: refusals, firmware verification failure.
const SECURITY_ALERTS: ReadonlySet<string> = new Set([...Object.values(DEVICE_REJECTIONS), '0x8F1C']);

function payloadOf(envelopeBytes: Uint8Array): GbcsPayload | undefined {
  try {
    const envelope = decodeEnvelope(envelopeBytes);
    return envelope.kind === 'gbcs' ? decodeGbcsPayload(envelope.message.payload) : undefined;
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
  private readonly commands = new Map<number, string>();

  constructor(factory: DeviceState) {
    this.current = factory;
  }

  get state(): DeviceState {
    return this.current;
  }

  reset(factory: DeviceState): void {
    this.current = factory;
    this.commands.clear();
  }

  /** A message the DCC sent the device (WAN down). */
  sawCommand(envelopeBytes: Uint8Array): void {
    const command = payloadOf(envelopeBytes);
    if (command?.cra === 1) this.commands.set(command.counter, command.messageCode);
  }

  /** A message the device sent (WAN up). */
  sawDeviceMessage(envelopeBytes: Uint8Array): void {
    const message = payloadOf(envelopeBytes);
    if (message === undefined) return;
    const at = message.dateTime * 1000;
    const detail = typeof message.body.detail === 'string' ? message.body.detail : '';
    if (message.cra === 3) {
      const entry = { at, code: message.messageCode, detail };
      // 0x8F43 "change in executing firmware version" names the version now running.
      if (message.messageCode === '0x8F43' && typeof message.body.firmwareVersion === 'string') {
        this.current = { ...this.current, firmwareVersion: message.body.firmwareVersion };
      }
      this.current = SECURITY_ALERTS.has(message.messageCode)
        ? { ...this.current, securityLog: appendLog(this.current.securityLog, entry) }
        : { ...this.current, eventLog: appendLog(this.current.eventLog, entry) };
      return;
    }
    if (message.cra !== 2 || message.inResponseTo === undefined) return;
    const srv = this.commands.get(message.inResponseTo);
    if (message.body.status !== 'success') return;
    if (srv === '8.1.1') this.current = { ...this.current, lifecycle: 'commissioned' };
    if (srv === '8.3') this.current = { ...this.current, lifecycle: 'decommissioned' };
    if (typeof message.body.firmwareVersion === 'string') {
      this.current = { ...this.current, firmwareVersion: message.body.firmwareVersion };
    }
  }
}
