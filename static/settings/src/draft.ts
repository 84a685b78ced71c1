/**
 * The form's own copy of the settings (pure, no React): durations as people read and type them ("1 h"),
 * lists and amounts as text; and back to what the resolver reads (it validates and names the field).
 */
import type { SettingsData } from '../../../src/contract/settings';
import { formatMinutes } from '../../shared/time';

export type TierNumber = 1 | 2 | 3;

export interface Draft extends Omit<SettingsData, 'tierBands' | 'commsCadence' | 'reviewCadence' | 'managerGroups' | 'costThresholds'> {
  tierBands: Record<TierNumber, { rtoMinMinutes: string; rtoMaxMinutes: string; rpoMinutes: string }>;
  commsCadence: Record<TierNumber, string>;
  reviewCadence: Record<TierNumber, string>;
  managerGroups: string;
  /** All three empty: no thresholds (cost of downtime is not compared). */
  costThresholds: { currency: string; tier1PerHour: string; tier2PerHour: string };
}

export type DraftPatch = Partial<Draft>;

const byTier = <T,>(f: (tier: TierNumber) => T): Record<TierNumber, T> => ({ 1: f(1), 2: f(2), 3: f(3) });

export function toDraft(s: SettingsData): Draft {
  return {
    ...s,
    tierBands: byTier((t) => ({ rtoMinMinutes: formatMinutes(s.tierBands[t].rtoMinMinutes), rtoMaxMinutes: formatMinutes(s.tierBands[t].rtoMaxMinutes), rpoMinutes: formatMinutes(s.tierBands[t].rpoMinutes) })),
    commsCadence: byTier((t) => formatMinutes(s.commsCadence[t])),
    reviewCadence: byTier((t) => String(s.reviewCadence[t])),
    managerGroups: s.managerGroups.join(', '),
    costThresholds: s.costThresholds
      ? { currency: s.costThresholds.currency, tier1PerHour: String(s.costThresholds.tier1PerHour), tier2PerHour: String(s.costThresholds.tier2PerHour) }
      : { currency: '', tier1PerHour: '', tier2PerHour: '' },
  };
}

/** An amount as typed: digits with thousands separators become a number; anything else goes as typed, for the resolver to refuse in words. */
function amount(text: string): number | string | undefined {
  if (text.trim() === '') return undefined;
  return /^\s*\d[\d,\s]*(\.\d+)?\s*$/.test(text) ? Number(text.replace(/[,\s]/g, '')) : text;
}

/** What the save and the check send: durations may go as typed ("1h 30m"), the resolver reads them. */
export function fromDraft(d: Draft): unknown {
  const days = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : text);
  const { currency, tier1PerHour, tier2PerHour } = d.costThresholds;
  const noThresholds = [currency, tier1PerHour, tier2PerHour].every((v) => v.trim() === '');
  return {
    ...d,
    reviewCadence: byTier((t) => days(d.reviewCadence[t])),
    managerGroups: d.managerGroups
      .split(/[,\n]/)
      .map((g) => g.trim())
      .filter(Boolean),
    costThresholds: noThresholds ? null : { currency, tier1PerHour: amount(tier1PerHour), tier2PerHour: amount(tier2PerHour) },
  };
}
