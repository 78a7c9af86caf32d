import {
  DER_NULL,
  type DerNode,
  DerReader,
  derBytes,
  derGeneralizedTime,
  derInteger,
  derOctets,
  derSequence,
} from './der-values.js';

/**
 * CS06 Activate Firmware (GBCS.md §7.7), critical: SEQUENCE { manufacturer image hash (32),
 * originator counter (the header counter), execution date-time OPTIONAL }. Future-dated when the
 * time is present; a cancellation is a future-dated command at 9999-12-31T23:59:59Z
 * (`GBCS_CANCELLATION_TIME`). The response is the ExecutionOutcome, or NULL for "accepted,
 * future-dated"; when a future-dated activation runs, alert 0x00CA reports its outcome.
 */
export interface Cs06Command {
  readonly imageHash: Uint8Array;
  readonly executionDateTime?: Date;
}

export function encodeCs06Command(command: Cs06Command, counter: bigint): Uint8Array {
  const items: DerNode[] = [derOctets(command.imageHash), derInteger(counter)];
  if (command.executionDateTime !== undefined) items.push(derGeneralizedTime(command.executionDateTime));
  return derBytes(derSequence(...items));
}

export function decodeCs06Command(
  content: Uint8Array,
  contentOffset = 0,
): Cs06Command & { readonly counter: bigint } {
  const der = new DerReader('CS06', contentOffset);
  const [hash, counter, time] = der.sequence(der.parse(content), 'activate firmware', 2, 3);
  const imageHash = der.octets(hash, 'manufacturer image hash', 32);
  const value = der.integer(counter, 'originator counter');
  return time === undefined
    ? { imageHash, counter: value }
    : { imageHash, counter: value, executionDateTime: der.generalizedTime(time, 'execution date-time') };
}

/** 0 success, 1 noImageHeld, 2 hashMismatch, 3 activationFailure. */
export type Cs06ResponseCode = 0 | 1 | 2 | 3;

export interface ExecutionOutcome {
  readonly responseCode: number;
  readonly firmwareVersion: Uint8Array;
}

export type Cs06Response = ({ readonly kind: 'executed' } & ExecutionOutcome) | { readonly kind: 'accepted' };

export function encodeExecutionOutcome(outcome: ExecutionOutcome) {
  return derSequence(derInteger(outcome.responseCode), derOctets(outcome.firmwareVersion));
}

export function encodeCs06Response(response: Cs06Response): Uint8Array {
  return derBytes(response.kind === 'accepted' ? DER_NULL() : encodeExecutionOutcome(response));
}

export function readExecutionOutcome(
  der: DerReader,
  node: Parameters<DerReader['sequence']>[0],
): ExecutionOutcome {
  const [code, version] = der.sequence(node, 'execution outcome', 2);
  return {
    responseCode: der.smallInteger(code, 'response code'),
    firmwareVersion: der.octets(version, 'firmware version'),
  };
}

export function decodeCs06Response(content: Uint8Array, contentOffset = 0): Cs06Response {
  const der = new DerReader('CS06', contentOffset);
  const node = der.parse(content);
  if (der.isNull(node)) return { kind: 'accepted' };
  return { kind: 'executed', ...readExecutionOutcome(der, node) };
}

/** Alert 0x00CA: the future-dated activation ran (0x8F66) or failed (0x8F67). */
export interface FutureDatedActivationAlert {
  readonly alertCode: 0x8f66 | 0x8f67;
  readonly executionDateTime: Date;
  /** The originator counter of the future-dated CS06 command. */
  readonly commandCounter: bigint;
  readonly outcome: ExecutionOutcome;
}

export function encodeFutureDatedActivationAlert(alert: FutureDatedActivationAlert): Uint8Array {
  return derBytes(
    derSequence(
      derInteger(alert.alertCode),
      derGeneralizedTime(alert.executionDateTime),
      derInteger(alert.commandCounter),
      encodeExecutionOutcome(alert.outcome),
    ),
  );
}

export function decodeFutureDatedActivationAlert(
  content: Uint8Array,
  contentOffset = 0,
): FutureDatedActivationAlert {
  const der: DerReader = new DerReader('0x00CA alert', contentOffset);
  const [code, time, counter, outcome] = der.sequence(der.parse(content), 'alert', 4);
  const alertCode = der.smallInteger(code, 'alert code');
  if (alertCode !== 0x8f66 && alertCode !== 0x8f67)
    der.fail('alert code', `expected 0x8F66 or 0x8F67, got ${alertCode}`);
  return {
    alertCode,
    executionDateTime: der.generalizedTime(time, 'execution date-time'),
    commandCounter: der.integer(counter, 'command counter'),
    outcome: readExecutionOutcome(der, outcome),
  };
}
