import type { Eui } from '../eui.js';
import type { GbcsMessage } from '../gbcs/apdu/gbcs-message.js';
import {
  encodeGeneralSigning,
  type GeneralSigningApdu,
  SIGNATURE_EMPTY,
  SIGNATURE_OMITTED,
} from '../gbcs/apdu/general-signing.js';
import { acbForm, messageCodeOnly } from '../gbcs/apdu/other-information.js';
import { checkGbcsMac, encodeMacProtected } from '../gbcs/protection/gbcs-protect.js';
import { checkGbcsSignature } from '../gbcs/protection/gbcs-signature.js';
import type { GbcsFrame } from '../messages/gbcs-messages.js';
import { writeCommandContent } from '../services/content/wire-content.js';
import type { DccState } from './dcc-state.js';
import type { DccEnvironment } from './srv-handler.js';

/**
 * The DCC's side of the GBCS wire (simulator/PROTOCOL.md §4): commands built from a service
 * request, MACed by the ACB for the target device (after the User's signature on a critical
 * one), and the authenticity the DCC can check on what devices send.
 */
export interface CommandSpec {
  readonly srv: string;
  /** The DUIS User and its RequestID counter. */
  readonly user: Eui;
  readonly userCounter: number;
  readonly device: Eui;
  readonly body: Readonly<Record<string, unknown>>;
  /** Another originator than the service module says (6.23: the DCC's CoS party). */
  readonly originator?: { readonly eui: Eui; readonly counter: number };
}

/** The GBCS message code and header form of a command (dcc/command-route.ts works it out). */
export interface CommandRoute {
  readonly messageCode: number;
  /** The ACB originates, the User rides in other-information (GBCS.md §5.3). */
  readonly acbForm: boolean;
}

/** The ACB's next originator counter: above the last one and never below the clock in ms. */
export function nextAcbCounter(state: DccState, now: number): number {
  state.acbCounter = Math.max(state.acbCounter + 1, now);
  return state.acbCounter;
}

/**
 * The command's general-signing APDU, signature field `00` (a pre-command: `omitted`). In the
 * ACB form the ACB originates with its own counter and the User and its RequestID counter ride in
 * other-information (GBCS.md §5.3); otherwise the User (or `spec.originator`) originates with its counter.
 */
export function commandApdu(
  state: DccState,
  env: DccEnvironment,
  spec: CommandSpec,
  route: CommandRoute,
  now: number,
  preCommand = false,
): GeneralSigningApdu {
  const { messageCode } = route;
  const acb = spec.originator === undefined && route.acbForm;
  const originator = spec.originator ?? { eui: spec.user, counter: spec.userCounter };
  const counter = BigInt(acb ? nextAcbCounter(state, now) : originator.counter);
  // The parties a payload names (ECS17b's protection parameters): the User, or the CoS party
  // that originates 6.23, and the device; in the ACB form the User still (GBCS.md §11: the
  // encryption peer of an ACB-form read is the supplementary remote party).
  const context = {
    counter,
    now,
    deviceTypeOf: (eui: Eui) => state.smi.get(eui)?.deviceType,
    originator: originator.eui,
    recipient: spec.device,
  };
  return {
    cra: 'command',
    counter,
    originator: acb ? state.config.acbEui : originator.eui,
    recipient: spec.device,
    dateTime: null,
    otherInformation: acb
      ? acbForm(messageCode, spec.user, BigInt(spec.userCounter))
      : messageCodeOnly(messageCode),
    content: writeCommandContent(messageCode, spec.body, context, env.codec),
    signature: preCommand ? SIGNATURE_OMITTED : SIGNATURE_EMPTY,
  };
}

/** The DCC's Pre-Command (DUIS CV 4): the general-signing APDU without a signature field. */
export function preCommandBytes(apdu: GeneralSigningApdu): Uint8Array {
  return encodeGeneralSigning({ ...apdu, signature: SIGNATURE_OMITTED });
}

/** The ACB's MAC header around the APDU; undefined when the DCC holds no KA certificate for the device. */
export function acbProtect(
  state: DccState,
  env: DccEnvironment,
  apdu: GeneralSigningApdu,
): GbcsFrame | undefined {
  const kaPublic = state.smki.get(apdu.recipient)?.kaPublic;
  if (kaPublic === undefined) return undefined;
  const keys = { ownKaPrivateKey: state.config.acbKaPrivate, peerKaPublicKey: kaPublic };
  return { apdu: encodeMacProtected(apdu, keys, env.secrets) };
}

/**
 * Whether a device message is authentic as far as the DCC can tell: a signed one against the
 * device's DS certificate; a MACed one addressed to the ACB against the device's KA certificate.
 * A message MACed for a User is that User's to check (the DCC holds no User's KA private key):
 * `unchecked`, and relayed. A bare unsigned `DF` is never authentic.
 */
export function deviceMessageAuthenticity(
  state: DccState,
  env: DccEnvironment,
  device: Eui,
  message: GbcsMessage,
): 'valid' | 'invalid' | 'unchecked' {
  const smki = state.smki.get(device);
  if (smki === undefined) return 'invalid';
  if (message.apdu.signature.kind === 'signed') {
    return checkGbcsSignature(message.signedBytes, message.apdu, smki.dsPublic) === 'valid'
      ? 'valid'
      : 'invalid';
  }
  if (message.mac === null) return 'invalid';
  if (message.apdu.recipient !== state.config.acbEui) return 'unchecked';
  const keys = { ownKaPrivateKey: state.config.acbKaPrivate, peerKaPublicKey: smki.kaPublic };
  return checkGbcsMac(message, keys, env.secrets) === 'valid' ? 'valid' : 'invalid';
}
