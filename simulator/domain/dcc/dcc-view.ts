import type { DccState } from './dcc-state.js';

type ReadonlyValue<T> =
  T extends Map<infer K, infer V>
    ? ReadonlyMap<K, Readonly<V>>
    : T extends readonly (infer E)[]
      ? readonly Readonly<E>[]
      : Readonly<T>;

/**
 * The DCC's state as checks, reports and the evidence see it: every collection read-only, so the
 * only way to change the DCC from outside its own handlers is an administrative event
 * (dcc-administration.ts) or a service request. Derived from DccState so a new field is covered
 * without a second list to keep.
 */
export type DccView = { readonly [K in keyof DccState]: ReadonlyValue<DccState[K]> };
