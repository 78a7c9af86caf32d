import { type Eui, parseEui } from '../eui.js';

/**
 * DUIS RequestID: `originatorEUI:targetEUI:counter`. The counter is a uint64 that strictly
 * increases per originator; DUIS also uses it as the GBCS originator counter of the command,
 * which is what lets the device refuse a replay (DCC.md §2, §8).
 */
export interface RequestId {
  readonly originator: Eui;
  readonly target: Eui;
  readonly counter: number;
}

export function formatRequestId(id: RequestId): string {
  return `${id.originator}:${id.target}:${id.counter}`;
}

export function parseRequestId(text: string): RequestId {
  const parts = text.split(':');
  if (parts.length !== 3) {
    throw new RangeError(`RequestID "${text}" must be originatorEUI:targetEUI:counter`);
  }
  const [originator, target, counter] = parts as [string, string, string];
  if (!/^\d{1,16}$/.test(counter) || !Number.isSafeInteger(Number(counter))) {
    throw new RangeError(`RequestID "${text}": counter must be a whole number below 2^53`);
  }
  return { originator: parseEui(originator), target: parseEui(target), counter: Number(counter) };
}

/** A ResponseID swaps the EUIs of the RequestID it answers. */
export function responseIdFor(id: RequestId): string {
  return `${id.target}:${id.originator}:${id.counter}`;
}
