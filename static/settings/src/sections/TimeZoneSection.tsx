/** Time zone: the zone of the times the app writes into comments and pages, read by many. */
import type { Draft, DraftPatch } from '../draft';
import { Field, Section, type ErrorAt } from './parts';

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...all])];
}

export function TimeZoneSection({ value, onChange, errorAt }: { value: Pick<Draft, 'siteTimeZone'>; onChange: (patch: DraftPatch) => void; errorAt: ErrorAt }) {
  return (
    <Section id="time-zone" title="Time zone">
      <Field id="site-time-zone" field="siteTimeZone" label="Time zone of comments and pages" help="Comments and plan pages are read by many people: their times are written in this zone, labelled. Each person's own screens use their own zone." errorAt={errorAt}>
        <select className="ds-select" id="site-time-zone" data-testid="site-time-zone" aria-describedby="site-time-zone-help" value={value.siteTimeZone} onChange={(e) => onChange({ siteTimeZone: e.target.value })}>
          {timeZones(value.siteTimeZone).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </Field>
    </Section>
  );
}
