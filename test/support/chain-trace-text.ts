import { chainTraceLines, type TraceChainHead } from '../../harness/evidence/trace-chain.js';
import type { ScenarioTrace } from '../../harness/results/scenario-trace.js';

/** The chain as trace.jsonl's whole text, made in one piece: what the streamed file must equal. */
export function chainTrace(traces: readonly ScenarioTrace[]): { text: string; head: TraceChainHead } {
  const texts: string[] = [];
  const lines = chainTraceLines(traces);
  for (let next = lines.next(); ; next = lines.next()) {
    if (next.done === true) return { text: texts.join(''), head: next.value };
    texts.push(`${next.value.text}\n`);
  }
}
