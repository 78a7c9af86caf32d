import type { SmiTimeline } from '../../results/scenario-evidence-types.js';
import { escapeXml } from '../xml-text.js';

/**
 * The trial's devices by SMI status over virtual time, as inline SVG: one lane per device,
 * coloured by status, with the trial window, and marks for the end-of-trial outcomes of
 * TRIALS.md: upgraded (▲), removed (✕) and overdue (hatched from the trial end until resolved).
 */
const LABEL = 190;
const PLOT = 640;
const LANE = 26;
const TOP = 34;
export const STATUS_COLOURS: Readonly<Record<string, string>> = {
  Pending: '#c7d2fe',
  Whitelisted: '#a5b4fc',
  InstalledNotCommissioned: '#fde68a',
  Commissioned: '#86efac',
  Suspended: '#fca5a5',
  Decommissioned: '#d1d5db',
  Withdrawn: '#9ca3af',
  Recovery: '#fdba74',
  Recovered: '#fcd34d',
};

function ticks(start: number, end: number): { at: number; label: string }[] {
  const span = end - start;
  const count = 5;
  const sameDay = span < 2 * 86_400_000;
  return Array.from({ length: count + 1 }, (_, i) => {
    const at = start + (span * i) / count;
    const iso = new Date(at).toISOString();
    const time = span < 3_600_000 ? iso.slice(11, 19) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    return { at, label: sameDay ? time : iso.slice(0, 10) };
  });
}

export function timelineChart(timeline: SmiTimeline | undefined): string {
  if (timeline === undefined || timeline.devices.length === 0) {
    return '<p class="muted">No device entered the Smart Metering Inventory.</p>';
  }
  const start = Date.parse(timeline.start);
  const last = Date.parse(timeline.end);
  // A scenario that never advanced time still gets a readable axis (a minute wide), and the axis
  // runs on past the scenario's end so what happened at the very end has room to show.
  const end = start + Math.max(last - start, 60_000) * 1.1;
  const stretch = (iso: string) => (Date.parse(iso) >= last ? end : Date.parse(iso));
  const px = (iso: string | number) => {
    const t = typeof iso === 'number' ? iso : Date.parse(iso);
    return LABEL + (Math.min(Math.max(t, start), end) - start) * (PLOT / (end - start));
  };
  const height = TOP + timeline.devices.length * LANE + 30;
  const out: string[] = [];
  out.push(
    '<defs><pattern id="overdue-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fee2e2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#dc2626" stroke-width="2"/></pattern></defs>',
  );
  for (const t of ticks(start, end)) {
    out.push(
      `<line class="grid" x1="${px(t.at)}" x2="${px(t.at)}" y1="${TOP - 4}" y2="${height - 24}"/>`,
      `<text class="tick" x="${px(t.at)}" y="${height - 10}" text-anchor="middle">${escapeXml(t.label)}</text>`,
    );
  }
  for (const trial of timeline.trials) {
    for (const [edge, label] of [
      [trial.start, 'start'],
      [trial.end, 'end'],
    ] as const) {
      const t = Date.parse(edge);
      if (t < start || t > end) continue;
      out.push(
        `<line class="trial-edge" x1="${px(t)}" x2="${px(t)}" y1="${TOP - 14}" y2="${height - 24}"/>`,
        `<text class="trial-label" x="${px(t) + 3}" y="${TOP - 16}">${escapeXml(trial.trialId)} ${label}</text>`,
      );
    }
  }
  out.push(
    `<line class="scenario-end" x1="${px(last)}" x2="${px(last)}" y1="${TOP - 4}" y2="${height - 24}"/>`,
    `<text class="tick" x="${px(last) - 3}" y="${TOP - 6}" text-anchor="end">scenario end</text>`,
  );
  for (const [i, device] of timeline.devices.entries()) {
    const y = TOP + i * LANE;
    const label = `${device.device} (${device.deviceType}${device.trialId ? `, ${device.trialId}` : ''})`;
    out.push(`<text class="lane-label" x="4" y="${y + 16}">${escapeXml(label)}</text>`);
    for (const s of device.segments) {
      const x1 = px(s.from);
      const w = Math.max(2, px(stretch(s.to)) - x1);
      out.push(
        `<rect class="seg" x="${x1}" y="${y + 4}" width="${w}" height="${LANE - 8}" fill="${STATUS_COLOURS[s.status] ?? '#e5e7eb'}"><title>${escapeXml(`${device.device}: ${s.status} from ${s.from} to ${s.to} (${s.cause})`)}</title></rect>`,
      );
      if (w > s.status.length * 6 + 6) {
        out.push(`<text class="seg-label" x="${x1 + 4}" y="${y + 17}">${escapeXml(s.status)}</text>`);
      }
    }
    const resolved = device.events.find((e) => e.kind === 'upgraded' || e.kind === 'removed');
    for (const e of device.events) {
      const ex = px(e.at);
      const tip = `<title>${escapeXml(`${device.device} ${e.kind} (${e.trialId}) at ${e.at}`)}</title>`;
      if (e.kind === 'overdue') {
        const until = resolved === undefined ? end : stretch(resolved.at);
        out.push(
          `<rect class="overdue" x="${ex}" y="${y + 2}" width="${Math.max(3, px(until) - ex)}" height="${LANE - 4}" fill="url(#overdue-hatch)" fill-opacity="0.7">${tip}</rect>`,
        );
      } else if (e.kind === 'upgraded') {
        out.push(
          `<path class="ev-upgraded" d="M${ex - 6} ${y + 22} L${ex} ${y + 10} L${ex + 6} ${y + 22} z">${tip}</path>`,
        );
      } else {
        out.push(
          `<path class="ev-removed" d="M${ex - 5} ${y + 8} L${ex + 5} ${y + 18} M${ex + 5} ${y + 8} L${ex - 5} ${y + 18}">${tip}</path>`,
        );
      }
    }
  }
  const used = new Set(timeline.devices.flatMap((d) => d.segments.map((s) => s.status)));
  const legend = [...used]
    .map(
      (s) =>
        `<span class="legend-item"><i style="background:${STATUS_COLOURS[s] ?? '#e5e7eb'}"></i>${escapeXml(s)}</span>`,
    )
    .concat([
      '<span class="legend-item">▲ upgraded</span>',
      '<span class="legend-item">✕ removed</span>',
      '<span class="legend-item"><i class="hatch"></i>overdue</span>',
    ])
    .join('');
  const width = LABEL + PLOT + 50;
  return (
    `<svg class="timeline" role="img" aria-label="SMI status timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${out.join('')}</svg>` +
    `<div class="legend">${legend}</div>`
  );
}
