import { describeTarget, type Target } from './bench-stats.js';

/** One printed figure: what was measured, the value, and its ratio or target beside it. */
export interface Figure {
  readonly section: string;
  readonly what: string;
  readonly value: string;
  /** The ratio or target, e.g. "ratio 0.62 (target ≥ 0.50)". */
  readonly beside: string;
  /** true/false when a target applies; undefined when the figure is for information. */
  readonly met: boolean | undefined;
  /** The ratio held to `target`, when the figure is one (the summary lists them all). */
  readonly ratio?: number;
  readonly target?: Target;
}

const MARK = { true: 'ok  ', false: 'MISS', undefined: '    ' } as const;

/** Prints figures as they come, and keeps them for the summary and the JSON. */
export class FigureTable {
  readonly figures: Figure[] = [];
  private section = '';

  /** Prints a section's title; figures of that section follow (add() starts it if needed). */
  startSection(section: string): void {
    if (section === this.section) return;
    this.section = section;
    process.stdout.write(`\n${section}\n`);
  }

  add(figure: Figure): void {
    this.figures.push(figure);
    this.startSection(figure.section);
    const mark = MARK[String(figure.met) as keyof typeof MARK];
    process.stdout.write(
      `  ${mark} ${figure.what.padEnd(58)} ${figure.value.padStart(16)}   ${figure.beside}\n`,
    );
  }

  note(text: string): void {
    process.stdout.write(`       ${text}\n`);
  }

  /** Every ratio with its target, one line each: what `--quick` ends with. */
  printRatios(): void {
    const ratios = this.figures.filter((f) => f.ratio !== undefined && f.target !== undefined);
    process.stdout.write(`\nratios and their targets (${ratios.length})\n`);
    for (const f of ratios) {
      const mark = MARK[String(f.met) as keyof typeof MARK];
      process.stdout.write(
        `  ${mark} ${f.what.padEnd(70)} ${(f.ratio as number).toFixed(2).padStart(6)}   ${describeTarget(f.target as Target)}\n`,
      );
    }
  }

  get missed(): Figure[] {
    return this.figures.filter((f) => f.met === false);
  }
}

export function fixed(value: number, digits = 0): string {
  return value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
