/** Tiers and cadences: each tier's RTO band and default RPO, how often stakeholders hear, how often plans are reviewed. */
import Textfield from '@atlaskit/textfield';
import type { Draft, DraftPatch, TierNumber } from '../draft';
import { Section, type ErrorAt } from './parts';

const TIERS = [1, 2, 3] as const;
const TIER_NAMES = { 1: 'Tier 1 (Gold)', 2: 'Tier 2 (Silver)', 3: 'Tier 3 (Bronze)' } as const;

type Values = Pick<Draft, 'tierBands' | 'commsCadence' | 'reviewCadence'>;

export function TiersSection({ value, onChange, errorAt }: { value: Values; onChange: (patch: DraftPatch) => void; errorAt: ErrorAt }) {
  const band = (t: TierNumber, key: 'rtoMinMinutes' | 'rtoMaxMinutes' | 'rpoMinutes', label: string) => (
    <td data-field={`tierBands.${t}.${key}`}>
      <Textfield aria-label={`${TIER_NAMES[t]}: ${label}`} value={value.tierBands[t][key]} onChange={(e) => onChange({ tierBands: { ...value.tierBands, [t]: { ...value.tierBands[t], [key]: (e.target as HTMLInputElement).value } } })} isCompact />
    </td>
  );
  return (
    <Section id="tiers" title="Tiers and cadences" help="Durations as you would say them: 15m, 1h, 1d 2h. A service whose RTO falls outside its tier's band is flagged for review.">
      <fieldset data-field="tierBands">
        <legend className="ds-visually-hidden">Tier bands and cadences</legend>
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col">Fastest RTO</th>
              <th scope="col">Slowest RTO</th>
              <th scope="col">Default RPO</th>
              <th scope="col">Stakeholder update every</th>
              <th scope="col">Plan review every (days)</th>
            </tr>
          </thead>
          <tbody>
            {TIERS.map((t) => (
              <tr key={t}>
                <th scope="row">{TIER_NAMES[t]}</th>
                {band(t, 'rtoMinMinutes', 'fastest RTO')}
                {band(t, 'rtoMaxMinutes', 'slowest RTO')}
                {band(t, 'rpoMinutes', 'default RPO')}
                <td data-field={`commsCadence.${t}`}>
                  <Textfield aria-label={`${TIER_NAMES[t]}: stakeholder update every`} testId={`comms-cadence-${t}`} value={value.commsCadence[t]} onChange={(e) => onChange({ commsCadence: { ...value.commsCadence, [t]: (e.target as HTMLInputElement).value } })} isCompact />
                </td>
                <td data-field={`reviewCadence.${t}`}>
                  <Textfield aria-label={`${TIER_NAMES[t]}: plan review every (days)`} value={value.reviewCadence[t]} onChange={(e) => onChange({ reviewCadence: { ...value.reviewCadence, [t]: (e.target as HTMLInputElement).value } })} isCompact />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ul className="ds-subtle help-list">
          <li>RTO band: how fast a service of the tier must be recovered, fastest to slowest; the default RPO is the data loss it may suffer.</li>
          <li>Stakeholder update: how often the incident panel asks for a stakeholder update while a plan is invoked.</li>
          <li>Plan review: days after a review that a plan of the tier is due again.</li>
        </ul>
        {errorAt('tierBands')}
        {errorAt('commsCadence')}
        {errorAt('reviewCadence')}
      </fieldset>
    </Section>
  );
}
