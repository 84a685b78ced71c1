/**
 * Figures, budgets and the table. A deterministic figure (a count of calls, round trips, bytes, lost or
 * duplicated writes) passes or fails against its budget; a timing is reported, never failed.
 */
export type Budget =
  | { kind: 'max'; value: number }
  | { kind: 'exactly'; value: number }
  /** The same value at every catalogue size (growth). */
  | { kind: 'equal'; across: string }
  /** A goal for a timing ratio: reported against, never failed. */
  | { kind: 'goal'; value: number; aim?: number };

export interface Figure {
  /** Stable id for the JSON and for tests, e.g. `p1.productCalls`. */
  id: string;
  group: string;
  name: string;
  unit?: string;
  budget?: Budget;
  measured: number | string | null;
  /** Counts and bytes are deterministic; timings are not. */
  deterministic: boolean;
  status: 'pass' | 'fail' | 'n/a';
  /** Why a figure is not judged ("timing", "goal only", "no budget"), or what it means. */
  note?: string;
  /** Extra numbers for the JSON (per-run values, breakdowns). */
  detail?: unknown;
}

export function judge(f: Omit<Figure, 'status'> & { status?: Figure['status'] }): Figure {
  if (f.status) return f as Figure;
  const m = typeof f.measured === 'number' ? f.measured : NaN;
  if (!f.deterministic || !f.budget || f.budget.kind === 'goal') return { ...f, status: 'n/a' };
  if (f.budget.kind === 'equal') return { ...f, status: f.measured === 'equal' ? 'pass' : 'fail' };
  if (Number.isNaN(m)) return { ...f, status: 'fail', note: f.note ?? 'not measured' };
  const ok = f.budget.kind === 'max' ? m <= f.budget.value : m === f.budget.value;
  return { ...f, status: ok ? 'pass' : 'fail' };
}

export function budgetText(b: Budget | undefined, unit?: string): string {
  if (!b) return '—';
  const u = unit && unit !== 'ms' ? ` ${unit}` : '';
  switch (b.kind) {
    case 'max':
      return `≤ ${b.value}${u}`;
    case 'exactly':
      return `= ${b.value}${u}`;
    case 'equal':
      return `equal ${b.across}`;
    case 'goal':
      return `goal ≤ ${b.value}×${b.aim !== undefined ? ` (aim ${b.aim}×)` : ''}`;
  }
}

export function ratioText(f: Figure): string {
  const b = f.budget;
  if (!b || typeof f.measured !== 'number' || b.kind === 'equal') return '—';
  if (b.kind === 'goal') return `${(f.measured / b.value).toFixed(2)}`;
  if (b.value === 0) return f.measured === 0 ? '—' : '∞';
  return (f.measured / b.value).toFixed(2);
}

function measuredText(f: Figure): string {
  if (f.measured === null) return '—';
  if (typeof f.measured === 'string') return f.measured;
  const n = Number.isInteger(f.measured) ? String(f.measured) : f.measured.toFixed(f.measured < 10 ? 2 : 1);
  return f.unit ? `${n} ${f.unit}` : n;
}

export function statusText(f: Figure): string {
  if (f.status === 'n/a') return `n/a: ${f.note ?? (f.deterministic ? 'no budget' : 'timing, reported only')}`;
  return f.status.toUpperCase();
}

/** A plain table for the terminal, and the same rows as markdown. */
export function table(figures: readonly Figure[], markdown = false): string {
  const rows = figures.map((f) => [f.group, f.name, budgetText(f.budget, f.unit), measuredText(f), ratioText(f), statusText(f)]);
  const head = ['figure', '', 'budget', 'measured', 'ratio', 'result'];
  if (markdown) {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    return [`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const failures = (figures: readonly Figure[]) => figures.filter((f) => f.deterministic && f.status === 'fail');
