import type { Eui } from '../eui.js';
import type { ServiceRequest } from '../messages/duis-messages.js';
import type { GbcsFrame } from '../messages/gbcs-messages.js';
import { lookupService } from '../services/service-catalogue.js';
import { type Admitted, admit, type Refusal } from './access-control.js';
import { sendNonCritical, sendSigned, transformForSigning } from './command-variants.js';
import type { DccEffect, DccTimer } from './dcc-effects.js';
import type { DccState } from './dcc-state.js';
import { fireTimer } from './dcc-timers.js';
import type { DccView } from './dcc-view.js';
import { receiveDeviceFrame } from './device-frames.js';
import { futureDatedTimedOut } from './future-dated.js';
import { requestContext } from './request-context.js';
import { refused } from './sr-outcomes.js';
import type { DccEnvironment } from './srv-handler.js';

export type { DccEnvironment } from './srv-handler.js';

/**
 * The DCC: DUIS in, GBCS out, and the SMI, CPL and trial rules between. Deterministic and free of
 * I/O: each handler mutates the DCC's own state and returns the effects for the node to carry out.
 * (The state is mutated in place rather than copied because the SMI holds up to 100k records;
 * the rule that matters — a refused request changes nothing — holds because every refusal is
 * decided before the first write.) Every service request ends in exactly one recorded outcome.
 */
export class DccCore {
  constructor(
    readonly state: DccState,
    private readonly env: DccEnvironment,
  ) {}

  handleServiceRequest(from: Eui, request: ServiceRequest, now: number): DccEffect[] {
    const continuation = request.commandVariant === 5;
    const admitted = admit(this.state, from, request, continuation, now);
    if (!admitted.ok) return refused(this.state, from, request, admitted, now);
    const body = validateBody(admitted, request);
    if ('code' in body) return refused(this.state, from, request, body, now);
    const late = continuation ? undefined : futureDatedTimedOut(body.value, now);
    if (late !== undefined) return refused(this.state, from, request, late, now);
    const ctx = requestContext(this.state, this.env, admitted, request, body.value, now);
    const srv = admitted.def.srv;
    const service = lookupService(srv)?.dcc;

    if (admitted.def.nonDevice) {
      const handler = service?.nonDevice;
      return handler === undefined
        ? ctx.refuse('E12', `SRV ${srv} is not implemented by trialsim yet`, 'TRIALSIM-NOT-IMPLEMENTED')
        : handler(ctx);
    }
    const special = service?.request;
    if (special !== undefined) return special(ctx);
    if (admitted.def.critical)
      return request.commandVariant === 4 ? transformForSigning(ctx) : sendSigned(ctx);
    return sendNonCritical(ctx);
  }

  handleDeviceFrame(device: Eui, frame: GbcsFrame, now: number): DccEffect[] {
    return receiveDeviceFrame(this.state, this.env, device, frame, now);
  }

  handleTimer(timer: DccTimer, now: number): DccEffect[] {
    return fireTimer(this.state, timer, now, this.env);
  }

  /** The state, read-only: what checks, reports and the evidence may see. */
  get view(): DccView {
    return this.state;
  }
}

function validateBody(
  admitted: Admitted,
  request: ServiceRequest,
): { value: Record<string, unknown> } | Refusal {
  const schema = lookupService(admitted.def.srv)?.requestBody;
  if (schema === undefined || request.commandVariant === 5) return { value: request.body };
  const parsed = schema.safeParse(request.body);
  if (parsed.success) return { value: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return {
    ok: false,
    code: 'E12',
    rule: 'DUIS-BODY',
    reason: `SRV ${admitted.def.srv} body invalid: ${issues}`,
  };
}
