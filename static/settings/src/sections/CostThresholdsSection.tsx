/** BIA cost thresholds: the cost of downtime per hour from which a BIA suggests Tier 1 or Tier 2. */
import Textfield from '@atlaskit/textfield';
import { Inline } from '@atlaskit/primitives/compiled';
import type { Draft, DraftPatch } from '../draft';
import { Field, Section, type ErrorAt } from './parts';

type Values = Draft['costThresholds'];

export function CostThresholdsSection({ value, onChange, errorAt }: { value: Values; onChange: (patch: DraftPatch) => void; errorAt: ErrorAt }) {
  const set = (patch: Partial<Values>) => onChange({ costThresholds: { ...value, ...patch } });
  return (
    <Section id="cost-thresholds" title="BIA cost thresholds" help="A service whose downtime costs at least this much per hour is suggested at least Tier 1 (or Tier 2) by its business impact analysis. Leave all three empty not to compare costs.">
      <Inline space="space.200" shouldWrap>
        <Field id="cost-currency" field="costThresholds.currency" label="Currency" help="ISO code, such as EUR. Only BIAs in this currency are compared." errorAt={errorAt}>
          <Textfield id="cost-currency" testId="cost-currency" aria-describedby="cost-currency-help" value={value.currency} onChange={(e) => set({ currency: (e.target as HTMLInputElement).value })} placeholder="EUR" width={120} />
        </Field>
        <Field id="cost-tier1" field="costThresholds.tier1PerHour" label="Tier 1 from (per hour)" help="At least the Tier 2 threshold." errorAt={errorAt}>
          <Textfield id="cost-tier1" testId="cost-tier1" aria-describedby="cost-tier1-help" value={value.tier1PerHour} onChange={(e) => set({ tier1PerHour: (e.target as HTMLInputElement).value })} placeholder="100,000" width={180} />
        </Field>
        <Field id="cost-tier2" field="costThresholds.tier2PerHour" label="Tier 2 from (per hour)" help="Below it, cost raises no tier." errorAt={errorAt}>
          <Textfield id="cost-tier2" testId="cost-tier2" aria-describedby="cost-tier2-help" value={value.tier2PerHour} onChange={(e) => set({ tier2PerHour: (e.target as HTMLInputElement).value })} placeholder="10,000" width={180} />
        </Field>
      </Inline>
    </Section>
  );
}
