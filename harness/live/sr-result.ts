import type { ServiceResponse } from '../../simulator/domain/index.js';
import type { FinalOutcome } from '../../simulator/parties/index.js';

/** How one SR sent by hand ended, as the CLI prints it and the console shows it. */
export interface SrResult {
  readonly requestId: string;
  readonly responses: readonly ServiceResponse[];
  /** Undefined when no outcome came within the time allowed, or the SR could not be sent. */
  readonly outcome: FinalOutcome | undefined;
  /** Why the SR ended without an outcome when it was not sent (SEND_FAILED and its cause). */
  readonly failure?: string;
}

/** `I0`, `E4 RULE (reason)` or `the device refused it: alert 0x8F3D`. */
export function describeOutcome(outcome: FinalOutcome): string {
  if (outcome.kind === 'deviceAlert')
    return `the device refused it: alert ${outcome.alert.alertCode ?? outcome.alert.alert}`;
  const r = outcome.response;
  return `${r.responseCode}${r.rule ? ` ${r.rule}` : ''}${r.reason ? ` (${r.reason})` : ''}`;
}

/** The code an outcome ends with: the response code, or the device's alert code. */
export function outcomeCode(outcome: FinalOutcome): string {
  return outcome.kind === 'deviceAlert'
    ? String(outcome.alert.alertCode ?? outcome.alert.alert)
    : outcome.response.responseCode;
}

/** One line per response: `I99`, `I0 {"status":"success"}`. */
export function describeResponse(r: ServiceResponse): string {
  return `${r.responseCode}${r.reason ? ` (${r.reason})` : ''}${r.body && Object.keys(r.body).length ? ` ${JSON.stringify(r.body)}` : ''}`;
}

/** A JSON-safe copy of a result (bytes as hex), for `sr --json` and the console. */
export function resultJson(result: SrResult): unknown {
  return JSON.parse(
    JSON.stringify(result, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
    ),
  );
}
