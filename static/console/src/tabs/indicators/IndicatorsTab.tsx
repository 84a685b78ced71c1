import { useCallback, useEffect, useMemo, useState } from 'react';
import Button from '@atlaskit/button/new';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import type { IndicatorsView } from '../../../../../src/contract/measure';
import type { ResolverError } from '../../../../../src/contract/errors';
import { bridgeError } from '../../api';
import { formatDate } from '../../components/format';
import { Message } from '../../components/Message';
import { useConsole } from '../../context';
import type { TabProps } from '../../tabs';
import { indicatorsCsv, loadIndicators, rebuildIndicators } from '../measure-api';
import { download, IndicatorCard, type ChartModule } from './IndicatorCard';
import { ReviewPanel } from './ReviewPanel';
import { specFor } from './specs';
import '../measure.css';

/** The quarter before the one `now` falls in ('2026-Q3' in November 2026): the usual one to review. */
function lastQuarter(now: number): string {
  const d = new Date(now);
  const q = Math.floor(d.getUTCMonth() / 3);
  return q === 0 ? `${d.getUTCFullYear() - 1}-Q4` : `${d.getUTCFullYear()}-Q${q}`;
}

/** The Indicators tab: every indicator with its chart (drawn once Chart.js has loaded) and its CSV, and the practice review. */
export default function IndicatorsTab(_props: TabProps) {
  const { view: page } = useConsole();
  const [view, setView] = useState<IndicatorsView | undefined>();
  const [error, setError] = useState<ResolverError | undefined>();
  const [charts, setCharts] = useState<ChartModule | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const answer = await loadIndicators().catch(bridgeError);
    if (answer.ok) {
      setView(answer.data);
      setError(undefined);
    } else setError(answer.error);
  }, []);
  useEffect(() => {
    void load();
    // The chart library comes in its own chunk, fetched while the figures load.
    void import('./charts').then(setCharts, () => setNotice('The charts could not be loaded; the tables below each title have the same figures.'));
  }, [load]);

  const specs = useMemo(() => (view ? view.indicators.map((i) => ({ ...i, spec: specFor(i.id, view) })) : []), [view]);

  const exportAll = async () => {
    const answer = await indicatorsCsv().catch(bridgeError);
    if (answer.ok) download(answer.data.filename, answer.data.csv);
    else setError(answer.error);
  };
  const rebuild = async () => {
    setBusy(true);
    const answer = await rebuildIndicators().catch(bridgeError);
    setBusy(false);
    if (!answer.ok) return setError(answer.error);
    const r = answer.data;
    setNotice(
      r.complete
        ? `Rebuilt from ${r.sources} records: ${r.corrected} corrected, ${r.removed} removed, ${r.shardsRepaired} parts of the totals repaired.`
        : 'The rebuild ran out of time before the end: run it again to finish it.',
    );
    void load();
  };

  if (error && !view) return <Message kind="error" title="The indicators could not be loaded.">{error.message}</Message>;
  if (!view) return <p className="subtle">Loading the indicators…</p>;
  return (
    <Stack space="space.300">
      <Inline space="space.200" alignBlock="center" spread="space-between" shouldWrap>
        <h2>Indicators</h2>
        <Inline space="space.100">
          <Button onClick={() => void exportAll()} testId="export-indicators">
            Export all as CSV
          </Button>
          {page.role.manager && (
            <Button appearance="subtle" onClick={() => void rebuild()} isLoading={busy} testId="rebuild-indicators">
              Rebuild from the data
            </Button>
          )}
        </Inline>
      </Inline>
      <p className="subtle">
        As of {formatDate(view.views.asOf, page.timeZone)}. Kept current as services, plans, incidents, drills and risks change; Tier 1 and 2 are the critical services.
      </p>
      {notice && (
        <Message kind="info" testId="indicators-notice">
          {notice}
        </Message>
      )}
      {error && <Message kind="error">{error.message}</Message>}
      <div className="cards" data-testid="indicator-cards">
        {specs.map((s) => (
          <IndicatorCard key={s.id} id={s.id} title={s.title} spec={s.spec} charts={charts} />
        ))}
      </div>
      <ReviewPanel firstPeriod={lastQuarter(view.views.asOf)} />
    </Stack>
  );
}
