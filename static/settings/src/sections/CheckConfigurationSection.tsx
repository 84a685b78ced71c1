/**
 * "Check configuration": the settings as the form shows them (unsaved changes included, nothing saved)
 * checked against Jira and Confluence, the findings grouped by area in the order of CONFIG_AREAS, each
 * with its level in words and colour, and a summary line. A refusal (a field a save would refuse) is
 * shown as a save's is, by the form (`onRefused`).
 */
import { useEffect, useState, type ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import { CONFIG_AREAS, type ConfigCheckReport, type ConfigFinding } from '../../../../src/contract/settings';
import type { ResolverError } from '../../../../src/contract/errors';
import { useAnnounce } from '../../../shared/Announcer';
import { Lozenge, type LozengeAppearance } from '../../../shared/Lozenge';
import { Notice, type NoticeAppearance } from '../../../shared/Notice';
import { UNREACHABLE } from '../../../shared/errors';
import { checkConfiguration } from '../api';
import { Section } from './parts';

type Level = ConfigFinding['status'];

const LEVELS: Record<Level, { word: string; one: string; many: string; lozenge: LozengeAppearance }> = {
  ok: { word: 'OK', one: 'ok', many: 'ok', lozenge: 'success' },
  warning: { word: 'Warning', one: 'warning', many: 'warnings', lozenge: 'moved' },
  problem: { word: 'Problem', one: 'problem', many: 'problems', lozenge: 'removed' },
  'not-set': { word: 'Not set', one: 'not set', many: 'not set', lozenge: 'default' },
};
const ORDER: Level[] = ['ok', 'warning', 'problem', 'not-set'];

/** "3 ok, 1 warning, 1 problem": the levels found, in that order. */
export function summarise(findings: ConfigFinding[]): string {
  const parts = ORDER.map((level) => [level, findings.filter((f) => f.status === level).length] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${n === 1 ? LEVELS[level].one : LEVELS[level].many}`);
  return parts.length > 0 ? parts.join(', ') : 'Nothing to check';
}

function appearanceOf(findings: ConfigFinding[]): NoticeAppearance {
  if (findings.some((f) => f.status === 'problem')) return 'error';
  if (findings.some((f) => f.status === 'warning' || f.status === 'not-set')) return 'warning';
  return 'success';
}

interface Props {
  /** What the check sends: the form as shown (fromDraft of the current draft). */
  settings: () => unknown;
  /** True when the form has changed since `checked` (the shown findings are of an earlier form). */
  changedSince: (checked: unknown) => boolean;
  /** A refusal naming a field, shown as a save's refusal is; undefined clears an earlier one. */
  onRefused: (error: ResolverError | undefined) => void;
  /** The check's refusal, when the last refusal was the check's. */
  refusal?: ReactNode;
  /** Runs the check whenever this changes (above 0): the form asks for one after every save. */
  runAfterSave?: number;
  /** Told each report, so the form can say after a save what will not work. */
  onChecked?: (report: ConfigCheckReport) => void;
}

export function CheckConfigurationSection({ settings, changedSince, onRefused, refusal, runAfterSave = 0, onChecked }: Props) {
  const [report, setReport] = useState<{ report: ConfigCheckReport; of: unknown } | undefined>();
  const [busy, setBusy] = useState(false);
  const announce = useAnnounce();
  const run = async () => {
    setBusy(true);
    const of = settings();
    try {
      const r = await checkConfiguration(of);
      if (r.ok) {
        setReport({ report: r.data, of });
        onRefused(undefined);
        onChecked?.(r.data);
        announce(`Configuration checked: ${summarise(r.data.findings)}.`);
      } else {
        setReport(undefined);
        onRefused(r.error);
      }
    } catch {
      setReport(undefined);
      onRefused(UNREACHABLE);
    }
    setBusy(false);
  };
  useEffect(() => {
    if (runAfterSave > 0) void run();
    // Only a new save asks for a check; the settings read are the form's at that moment.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runAfterSave]);
  const findings = report?.report.findings ?? [];
  return (
    <Section id="check" title="Check configuration" help="Asks Jira and Confluence whether what these settings name exists and works: JSM's fields, the projects and issue types, Confluence, where plan pages and postmortems go, drills, follow-ups and the Service Continuity Manager groups.">
      <Text as="p" testId="check-note">
        The check is of the form as shown, unsaved changes included. It saves nothing: save to put the settings in force.
      </Text>
      <Inline space="space.100" alignBlock="center">
        <Button onClick={() => void run()} isLoading={busy} testId="check-configuration">
          Check configuration
        </Button>
        {busy && (
          <Text color="color.text.subtlest" testId="check-progress">
            Checking…
          </Text>
        )}
      </Inline>
      {refusal}
      {report && !busy && (
        <Stack space="space.150" testId="config-report">
          <Notice appearance={appearanceOf(findings)} title={<span data-testid="config-summary">{summarise(findings)}</span>}>
            <Text as="p">{report.report.ok ? 'Nothing was found that would stop the app from working.' : 'Something these settings name will not work: see the problems below.'}</Text>
            {changedSince(report.of) && (
              <Text as="p" testId="config-stale">
                The form has changed since this check: check again to see what the change does.
              </Text>
            )}
          </Notice>
          {CONFIG_AREAS.filter(({ area }) => findings.some((f) => f.area === area)).map(({ area, title }) => (
            <div key={area} className="config-area" data-testid={`config-area-${area}`}>
              <h3 className="ds-heading-xsmall">{title}</h3>
              <ul className="config-findings">
                {findings
                  .filter((f) => f.area === area)
                  .map((f, i) => (
                    <li key={i} data-testid="config-finding" data-status={f.status}>
                      <Lozenge appearance={LEVELS[f.status].lozenge}>{LEVELS[f.status].word}</Lozenge> <span className="config-message">{f.message}</span>
                      {f.fix && <div className="ds-subtle config-fix">{f.fix}</div>}
                    </li>
                  ))}
              </ul>
            </div>
          ))}
        </Stack>
      )}
    </Section>
  );
}
