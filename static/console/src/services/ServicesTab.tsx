import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import type { ServicePage, ServiceQuery, ServiceSort, ServiceView, Tier } from '../../../../src/contract/console';
import type { ResolverError } from '../../../../src/contract/errors';
import { bridgeError, exportCsv, listServices } from '../api';
import { Field } from '../components/Field';
import { plural } from '../components/format';
import { Message } from '../components/Message';
import { Select } from '../components/Select';
import { useConsole } from '../context';
import type { TabProps } from '../tabs';
import { ServiceTable } from './ServiceTable';

// The heavy parts load when first needed: the form (with its pickers), the CSV import, the JSM mapping.
const ServiceEditor = lazy(() => import('./ServiceEditor'));
const CsvImport = lazy(() => import('./CsvImport'));
const JsmServices = lazy(() => import('./JsmServices'));

export type Mode = { kind: 'list' } | { kind: 'service'; id?: string; prefill?: { name: string; jsmServiceId: string } } | { kind: 'import' } | { kind: 'jsm' };

const VIEWS: ReadonlyArray<{ value: ServiceView; label: string }> = [
  { value: 'active', label: 'Active services' },
  { value: 'no-approved-plan', label: 'Without an approved plan' },
  { value: 'retired', label: 'Retired services' },
];
const SORTS: ReadonlyArray<{ value: ServiceSort; label: string }> = [
  { value: 'name', label: 'Name' },
  { value: 'tier', label: 'Tier' },
  { value: 'rto', label: 'RTO (fastest first)' },
];
const TIER_FILTERS = [
  { value: '', label: 'All tiers' },
  { value: '1', label: 'Tier 1 (Gold)' },
  { value: '2', label: 'Tier 2 (Silver)' },
  { value: '3', label: 'Tier 3 (Bronze)' },
] as const;

/** The Services tab: the catalogue list (paged through the index), its filters, and the ways to change it. */
export default function ServicesTab({ intent, onIntentHandled }: TabProps) {
  const { view, refresh } = useConsole();
  const manager = view.role.manager;
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [query, setQuery] = useState<ServiceQuery>(view.services.query);
  const [search, setSearch] = useState('');
  const [page, setPage] = useState<ServicePage>(view.services);
  /** The cursor each page so far was read with (undefined for the first): the last is the page on screen. */
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [error, setError] = useState<ResolverError | undefined>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  /** The last export, shown as text too: a site whose frames may not download files can still copy it. */
  const [exported, setExported] = useState<string | undefined>();
  const first = useRef(true);

  const fetchPage = useCallback(async (q: ServiceQuery) => {
    setBusy(true);
    const answer = await listServices(q).catch(bridgeError);
    setBusy(false);
    if (answer.ok) {
      setPage(answer.data);
      setError(undefined);
    } else setError(answer.error);
    return answer.ok;
  }, []);

  // A new filter, order or search starts again at the first page (the search waits for a pause in typing).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => {
      setCursors([undefined]);
      void fetchPage({ ...query, search: search.trim() || undefined, cursor: undefined });
    }, 250);
    return () => clearTimeout(timer);
  }, [query, search, fetchPage]);

  useEffect(() => {
    if (intent?.kind === 'show-service') setMode({ kind: 'service', id: intent.serviceId });
    if (intent) onIntentHandled();
  }, [intent, onIntentHandled]);

  const current = { ...query, search: search.trim() || undefined };
  const next = async () => {
    const cursor = page.cursor;
    if (cursor && (await fetchPage({ ...current, cursor }))) setCursors([...cursors, cursor]);
  };
  const back = async () => {
    const earlier = cursors.slice(0, -1);
    if (earlier.length > 0 && (await fetchPage({ ...current, cursor: earlier[earlier.length - 1] }))) setCursors(earlier);
  };

  const backToList = (changed: string | undefined) => {
    setMode({ kind: 'list' });
    if (changed) {
      setNotice(changed);
      refresh();
      setCursors([undefined]);
      void fetchPage({ ...current, cursor: undefined });
    }
  };

  const download = async () => {
    const answer = await exportCsv().catch(bridgeError);
    if (!answer.ok) return setError(answer.error);
    const url = URL.createObjectURL(new Blob([answer.data.csv], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = answer.data.filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
    setExported(answer.data.csv);
    setNotice(`Exported ${plural(answer.data.count, 'service')} to ${answer.data.filename}.`);
  };

  if (mode.kind !== 'list') {
    return (
      <Suspense fallback={<p className="subtle">Loading…</p>}>
        {mode.kind === 'service' && <ServiceEditor id={mode.id} prefill={mode.prefill} onDone={backToList} />}
        {mode.kind === 'import' && <CsvImport onDone={backToList} />}
        {mode.kind === 'jsm' && <JsmServices onDone={backToList} onCreate={(prefill) => setMode({ kind: 'service', prefill })} />}
      </Suspense>
    );
  }

  const { summary } = view;
  const filtered = query.view !== 'active' || query.tier !== undefined || search.trim() !== '';
  return (
    <Stack space="space.200">
      <Inline space="space.200" alignBlock="center" spread="space-between" shouldWrap>
        <h2>Services</h2>
        <Inline space="space.100" shouldWrap>
          {manager && (
            <>
              <Button appearance="primary" onClick={() => setMode({ kind: 'service' })} testId="add-service">
                Add service
              </Button>
              <Button onClick={() => setMode({ kind: 'import' })} testId="import-csv">
                Import CSV
              </Button>
            </>
          )}
          <Button onClick={() => setMode({ kind: 'jsm' })} testId="jsm-services">
            JSM services
          </Button>
          <Button onClick={() => void download()} testId="export-csv">
            Export CSV
          </Button>
        </Inline>
      </Inline>
      <p className="subtle" data-testid="summary">
        {plural(summary.services, 'active service')} · {plural(summary.plans, 'plan')}
        {summary.withoutApprovedPlan ? ` · ${summary.withoutApprovedPlan} without an approved plan` : ''}
      </p>
      {notice && (
        <Message kind="success" testId="notice">
          {notice}
        </Message>
      )}
      {exported !== undefined && (
        <details>
          <summary>Show the exported CSV</summary>
          <label className="visually-hidden" htmlFor="exported-csv">
            Exported CSV
          </label>
          <textarea id="exported-csv" className="exported" readOnly value={exported} rows={8} />
        </details>
      )}
      <div className="toolbar" role="search">
        <Field id="service-search" label="Search by name">
          <Textfield id="service-search" value={search} onChange={(e) => setSearch(e.currentTarget.value)} placeholder="Start of a name" width={240} testId="service-search" />
        </Field>
        <Select id="service-view" label="Show" value={query.view} options={VIEWS} onChange={(v) => setQuery({ ...query, view: v })} />
        <Select id="service-tier" label="Tier" value={query.tier ? String(query.tier) : ''} options={TIER_FILTERS} onChange={(v) => setQuery({ ...query, tier: v ? (Number(v) as Tier) : undefined })} />
        <Select id="service-sort" label="Sort by" value={query.sort} options={SORTS} onChange={(v) => setQuery({ ...query, sort: v })} />
      </div>
      {search.trim() !== '' && query.sort !== 'name' && <p className="subtlest">Search results are in name order.</p>}
      {error && (
        <Message kind="error" title="The services could not be listed.">
          {error.message}
        </Message>
      )}
      {page.items.length === 0 && !busy ? (
        <EmptyList filtered={filtered} manager={manager} onAdd={() => setMode({ kind: 'service' })} onImport={() => setMode({ kind: 'import' })} onClear={() => (setSearch(''), setQuery({ view: 'active', sort: query.sort }))} />
      ) : (
        <ServiceTable services={page.items} busy={busy} onOpen={(id) => setMode({ kind: 'service', id })} />
      )}
      {(cursors.length > 1 || page.cursor) && (
        <Inline space="space.100" alignBlock="center">
          <Button onClick={() => void back()} isDisabled={cursors.length === 1 || busy} testId="previous-page">
            Previous page
          </Button>
          <span className="subtle" data-testid="page-number">
            Page {cursors.length}
          </span>
          <Button onClick={() => void next()} isDisabled={!page.cursor || busy} testId="next-page">
            Next page
          </Button>
        </Inline>
      )}
    </Stack>
  );
}

function EmptyList({ filtered, manager, onAdd, onImport, onClear }: { filtered: boolean; manager: boolean; onAdd: () => void; onImport: () => void; onClear: () => void }) {
  if (filtered) {
    return (
      <div className="panel" data-testid="empty-filtered">
        <p>No services match these filters.</p>
        <Button onClick={onClear}>Clear filters</Button>
      </div>
    );
  }
  return (
    <div className="panel" data-testid="empty-catalogue">
      <h3>No services yet</h3>
      <p className="subtle">
        The catalogue lists the IT services that must recover after a disaster: their tier, how long they may be down (RTO), how much data they may lose (RPO), and what they depend on.
      </p>
      {manager ? (
        <Inline space="space.100">
          <Button appearance="primary" onClick={onAdd}>
            Add the first service
          </Button>
          <Button onClick={onImport}>Import a CSV</Button>
        </Inline>
      ) : (
        <p>A Service Continuity Manager adds them.</p>
      )}
    </div>
  );
}
