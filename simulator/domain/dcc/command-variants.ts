import type { Eui } from '../eui.js';
import { SIGNATURE_LENGTH } from '../gbcs/apdu/general-signing.js';
import type { DccEffect } from './dcc-effects.js';
import { preCommandBytes } from './dcc-wire.js';
import { futureDatedTimedOut } from './future-dated.js';
import { serviceResponse } from './sr-outcomes.js';
import type { SrvRequestContext } from './srv-handler.js';
import { screenDeviceCommand } from './trial-commissioning.js';

/**
 * The generic paths of a device SR to its device, by command variant: a critical SR goes CV 4
 * (the DCC transforms it) then CV 5 (the User's signed Pre-Command is dispatched); a non-critical
 * one is MACed by the ACB and dispatched at once.
 */

/** CV 4: the DCC builds the GBCS command (its Pre-Command) for the User to sign. */
export function transformForSigning(ctx: SrvRequestContext): DccEffect[] {
  const { state, admitted, request, now } = ctx;
  // Trial and CPL rules for the paths onto a trial's firmware (8.1.1, 11.3): trial-commissioning.ts.
  const screened = screenDeviceCommand(ctx, 'transform');
  if (screened.refusal !== undefined) {
    return ctx.refuse(screened.refusal.code, screened.refusal.reason, screened.refusal.rule);
  }
  const command = ctx.commandApdu(ctx.body);
  const preCommand = preCommandBytes(command);
  state.transforms.set(request.requestId, {
    user: admitted.user.eui,
    srv: admitted.def.srv,
    device: admitted.deviceId as Eui,
    command,
    preCommand,
    body: ctx.body,
    requestedAt: now,
  });
  return [
    serviceResponse(admitted.user.eui, request.requestId, admitted.def.srv, 'I0', {
      preCommand,
      ...screened.warning,
    }),
  ];
}

/** CV 5: the signed Pre-Command goes to the device; the device, not the DCC, checks the signature. */
export function sendSigned(ctx: SrvRequestContext): DccEffect[] {
  const { state, admitted, request, now } = ctx;
  const transform = state.transforms.get(request.requestId);
  if (transform === undefined) {
    // Also what a duplicated CV 5 meets once the first copy was dispatched: a distinct rule lets
    // the User tell the copy's refusal from its SR's outcome (test/integration/reliability).
    return ctx.refuse('E12', 'CV 5 with no CV 4 transform for this RequestID', 'DUIS-CV5-NO-TRANSFORM');
  }
  if (request.preCommand === undefined || request.signature === undefined) {
    return ctx.refuse('E12', 'CV 5 needs preCommand and signature');
  }
  if (!sameBytes(request.preCommand, transform.preCommand)) {
    return ctx.refuse('E12', 'the signed Pre-Command differs from the one the DCC issued');
  }
  const late = futureDatedTimedOut(transform.body, now);
  if (late !== undefined) return ctx.refuse(late.code, late.reason, late.rule);
  const screened = screenDeviceCommand(ctx, 'dispatch');
  if (screened.refusal !== undefined) {
    return ctx.refuse(screened.refusal.code, screened.refusal.reason, screened.refusal.rule);
  }
  if (request.signature.length !== SIGNATURE_LENGTH) {
    return ctx.refuse('E12', `the Pre-Command's signature is ${request.signature.length} bytes, not 64`);
  }
  // The User signed the Pre-Command's bytes after DF; the ACB MACs the signed command.
  const signed = {
    ...transform.command,
    signature: { kind: 'signed' as const, signature: request.signature },
  };
  const frame = ctx.acbProtect(signed);
  if (frame === undefined) return ctx.refuse('E20', `no SMKI certificate held for ${admitted.deviceId}`);
  state.transforms.delete(request.requestId);
  return ctx.dispatch(frame, screened.reservation, transform.body);
}

/** Non-critical device SRs: the DCC's ACB MACs the command for the device (DCC.md §8). */
export function sendNonCritical(ctx: SrvRequestContext): DccEffect[] {
  const frame = ctx.acbProtect(ctx.commandApdu(ctx.body));
  if (frame === undefined) return ctx.refuse('E20', `no SMKI certificate held for ${ctx.admitted.deviceId}`);
  return ctx.dispatch(frame);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
