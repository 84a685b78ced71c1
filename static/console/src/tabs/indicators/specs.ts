/**
 * What each indicator's chart and table show, from the indicators the resolver answers: one plain
 * description (labels, series, unit, a one-sentence summary) drawn by the chart and written out by the
 * table beside it, so the two always say the same thing.
 */
import type { IndicatorId, IndicatorsView, IndicatorViews, Share, TierShares } from '../../../../../src/contract/measure';

export interface ChartSpec {
  kind: 'bar' | 'line';
  /** What the labels are ("Tier", "Month"): the table's first column. */
  axis: string;
  labels: string[];
  series: Array<{ label: string; values: Array<number | null> }>;
  unit: '%' | 'min' | '';
  /** The chart in one sentence (its accessible name). */
  summary: string;
  /** A headline figure shown above the chart. */
  stat?: string;
}

const pct = (s: Share) => (s.share === null ? null : Math.round(s.share * 1000) / 10);
const words = (s: Share) => (s.share === null ? 'none to count' : `${Math.round(s.share * 100)}% (${s.numerator} of ${s.denominator})`);

function shares(title: string, t: TierShares, tiers: IndicatorsView['tiers']): ChartSpec {
  return {
    kind: 'bar',
    axis: 'Services',
    labels: ['Tier 1 and 2', ...tiers.map((x) => x.name)],
    series: [{ label: 'Share', values: [pct(t.critical), ...tiers.map((x) => pct(t.byTier[x.key]))] }],
    unit: '%',
    summary: `${title}: ${words(t.critical)} of Tier 1 and 2 services.`,
    stat: words(t.critical),
  };
}

function attainment(v: IndicatorViews): ChartSpec {
  const months = [...new Set([...v.rtoAttainment.incidents, ...v.rtoAttainment.drills].map((m) => m.month))].sort();
  const of = (list: IndicatorViews['rtoAttainment']['incidents']) => months.map((m) => {
    const found = list.find((x) => x.month === m);
    return found ? Math.round(found.share * 1000) / 10 : null;
  });
  const total = (list: IndicatorViews['rtoAttainment']['incidents']) => list.reduce((n, m) => [n[0]! + m.withinRto, n[1]! + m.recovered], [0, 0]);
  const [inc, incAll] = total(v.rtoAttainment.incidents);
  const [dr, drAll] = total(v.rtoAttainment.drills);
  return {
    kind: 'line',
    axis: 'Month',
    labels: months,
    series: [
      { label: 'Incidents within RTO', values: of(v.rtoAttainment.incidents) },
      { label: 'Drills within RTO', values: of(v.rtoAttainment.drills) },
    ],
    unit: '%',
    summary: months.length === 0 ? 'RTO attainment: no recovery yet.' : `RTO attainment over ${months.length} months: ${inc} of ${incAll} incident recoveries and ${dr} of ${drAll} drill recoveries within RTO.`,
  };
}

function meanRecovery(v: IndicatorViews, tiers: IndicatorsView['tiers']): ChartSpec {
  const of = (kind: 'incidents' | 'drills', what: 'meanAchievedMinutes' | 'meanRtoMinutes') => tiers.map((t) => {
    const value = v.meanRecovery[kind][t.key][what];
    return value === null ? null : Math.round(value * 10) / 10;
  });
  const t1 = v.meanRecovery.incidents['1'];
  return {
    kind: 'bar',
    axis: 'Tier',
    labels: tiers.map((t) => t.name),
    series: [
      { label: 'Incidents: mean recovery', values: of('incidents', 'meanAchievedMinutes') },
      { label: 'Incidents: mean RTO', values: of('incidents', 'meanRtoMinutes') },
      { label: 'Drills: mean recovery', values: of('drills', 'meanAchievedMinutes') },
      { label: 'Drills: mean RTO', values: of('drills', 'meanRtoMinutes') },
    ],
    unit: 'min',
    summary: t1.count === 0 ? 'Mean recovery time against RTO by tier: no Tier 1 incident recovered yet.' : `Mean recovery time against RTO by tier: Tier 1 incidents recovered in ${Math.round(t1.meanAchievedMinutes!)} minutes on average against a mean RTO of ${Math.round(t1.meanRtoMinutes!)} minutes.`,
  };
}

/** The chart and table of one indicator. */
export function specFor(id: IndicatorId, view: IndicatorsView): ChartSpec {
  const v = view.views;
  switch (id) {
    case 'approved-plan':
      return shares('Services with an approved plan', v.approvedPlan, view.tiers);
    case 'tested':
      return shares('Services tested in the last 12 months', v.testedLast12Months, view.tiers);
    case 'reviewed-on-time':
      return shares('Plans reviewed on time', v.reviewedOnTime, view.tiers);
    case 'rto-attainment':
      return attainment(v);
    case 'mean-recovery':
      return meanRecovery(v, view.tiers);
    case 'drills-per-quarter':
      return {
        kind: 'bar',
        axis: 'Quarter',
        labels: v.drillsPerQuarter.map((q) => q.quarter),
        series: [{ label: 'Drills carried out', values: v.drillsPerQuarter.map((q) => q.drills) }],
        unit: '',
        summary: v.drillsPerQuarter.length === 0 ? 'Drills per quarter: none yet.' : `Drills per quarter: ${v.drillsPerQuarter.map((q) => `${q.drills} in ${q.quarter}`).join(', ')}.`,
      };
    case 'practices-carried-out': {
      let running = 0;
      return {
        kind: 'line',
        axis: 'Quarter',
        labels: v.drillsPerQuarter.map((q) => q.quarter),
        series: [{ label: 'Disaster practices carried out, in all', values: v.drillsPerQuarter.map((q) => (running += q.drills)) }],
        unit: '',
        summary: `Disaster practices carried out: ${v.drillsCarriedOut} in all.`,
        stat: String(v.drillsCarriedOut),
      };
    }
    case 'open-invocations':
      return {
        kind: 'bar',
        axis: 'Kind',
        labels: ['Incidents', 'Drills'],
        series: [{ label: 'Open invocations', values: [v.openInvocations.incidents, v.openInvocations.drills] }],
        unit: '',
        summary: `Open invocations: ${v.openInvocations.incidents} on incidents, ${v.openInvocations.drills} on drills.`,
        stat: String(v.openInvocations.incidents + v.openInvocations.drills),
      };
    case 'findings':
      return {
        kind: 'bar',
        axis: 'Plans',
        labels: ['Findings waiting', 'Findings handled'],
        series: [{ label: 'Plans', values: [v.findings.waiting, v.findings.handled] }],
        unit: '',
        summary: `Plans with postmortem findings waiting for their owner: ${v.findings.waiting}; plans whose findings were all handled: ${v.findings.handled}.`,
        stat: String(v.findings.waiting),
      };
    case 'implementation-duration': {
      const d = v.implementationDays;
      return {
        kind: 'bar',
        axis: 'Days to a mechanism in place',
        labels: v.implementationHistogram.map((b) => b.label),
        series: [{ label: 'Risks', values: v.implementationHistogram.map((b) => b.risks) }],
        unit: '',
        summary: d.count === 0 ? 'Implementation duration: no mechanism in place yet.' : `Implementation duration: ${d.count} risks, mean ${Math.round(d.meanDays! * 10) / 10} days, median ${d.medianDays} days from identified to a mechanism in place.`,
        stat: d.count === 0 ? '—' : `${Math.round(d.meanDays! * 10) / 10} days mean, ${d.medianDays} median`,
      };
    }
  }
}

/** A value as the table writes it. */
export const cellText = (value: number | null, unit: ChartSpec['unit']) => (value === null ? '—' : unit === '%' ? `${value}%` : unit === 'min' ? `${value} min` : String(value));
