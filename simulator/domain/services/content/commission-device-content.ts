import { dlmsDateTimeFromDate, dlmsDateTimeToDate } from '../../gbcs/apdu/dlms-date-time.js';
import {
  decodeEcs70Command,
  decodeEcs70Response,
  encodeEcs70Command,
  encodeEcs70Response,
} from '../../gbcs/payloads/esme/ecs70.js';
import { dlmsFailureResponse, dlmsOutcome, succeeded, type UseCaseContent } from './use-case-content.js';

/** DUIS's default TolerancePeriod when the request names none, seconds. */
const DEFAULT_TOLERANCE_S = 60;

function instant(value: unknown, otherwise: number): number {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? otherwise : at;
}

function iso(value: Parameters<typeof dlmsDateTimeToDate>[0] | null): string | undefined {
  return value === null ? undefined : dlmsDateTimeToDate(value)?.toISOString();
}

/**
 * 8.1.1's payload, ECS70 Set Clock (GBCS.md §7.3): the validity window is [CurrentDateTime,
 * CurrentDateTime + TolerancePeriod] (§11), the DCC's clock and 60 s when the body names neither
 * (`currentDateTime`, `tolerancePeriod`). The device reads the window (`validityStart`,
 * `validityEnd`); its response carries its time after the adjustment.
 */
export const ecs70Content: UseCaseContent = {
  encodeCommand: (body, { counter, now }) => {
    const start = instant(body.currentDateTime, now);
    const tolerance = Number(body.tolerancePeriod ?? DEFAULT_TOLERANCE_S);
    const seconds = Number.isFinite(tolerance) && tolerance >= 0 ? tolerance : DEFAULT_TOLERANCE_S;
    return encodeEcs70Command(
      {
        validityStart: dlmsDateTimeFromDate(new Date(start)),
        validityEnd: dlmsDateTimeFromDate(new Date(start + seconds * 1000)),
      },
      counter,
    );
  },
  decodeCommand: (content, offset) => {
    const { validityStart, validityEnd } = decodeEcs70Command(content, offset);
    const start = iso(validityStart);
    const end = iso(validityEnd);
    return {
      ...(start === undefined ? {} : { validityStart: start }),
      ...(end === undefined ? {} : { validityEnd: end }),
    };
  },
  encodeResponse: (body, { counter, now }) =>
    succeeded(body)
      ? encodeEcs70Response({ time: dlmsDateTimeFromDate(new Date(now)) }, counter)
      : dlmsFailureResponse(['set', 'action', 'action', 'get', 'get'], counter),
  decodeResponse: (content, offset) => {
    const { time, results } = decodeEcs70Response(content, offset);
    const outcome = dlmsOutcome(results);
    const at = iso(time);
    return at === undefined || outcome.status !== 'success' ? outcome : { ...outcome, deviceTime: at };
  },
};
