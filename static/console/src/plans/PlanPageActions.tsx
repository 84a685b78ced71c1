/**
 * The registry's plan-page controls: whether Confluence is connected (the catalogue works either way),
 * a new plan page or an adopted one for a service without a page, the lifecycle moves with who and when,
 * "Mark reviewed", and the problems the plan pages raise. The server checks every change again (the
 * role, the owner, the move); these only leave out what the person cannot do.
 */
import { createContext, useContext, useEffect, useMemo, useState, type FormEvent } from 'react';
import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import { view as forgeView } from '@forge/bridge';
import type { PlanRow, PlanStatus } from '../../../../src/contract/console';
import type { ResolverError } from '../../../../src/contract/errors';
import { NEXT_STATUSES, STATUS_WORDS, type ConfluenceState } from '../../../../src/contract/plans';
import { bridgeError } from '../api';
import { formatDate } from '../components/format';
import { Message } from '../components/Message';
import { adoptPage, confluenceState, createPlanPage, markPlanReviewed, setPlanStatus } from './plan-api';

export interface PlanActions {
  manager: boolean;
  /** The signed-in person (from Forge's context): a plan's owner may approve and review it. */
  accountId?: string;
  /** Undefined until Confluence has answered. */
  confluence?: ConfluenceState;
  /** Confluence is not connected: plan pages cannot be created, adopted or written. */
  pagesOff: boolean;
  /** New plan pages can be published where the settings say. */
  canPublish: boolean;
  timeZone: string;
  /** Something changed: say `message` and list the plans again. */
  changed: (message: string) => void;
}

const PlanActionsContext = createContext<PlanActions | undefined>(undefined);
export const PlanActionsProvider = PlanActionsContext.Provider;

function usePlanActions(): PlanActions {
  const actions = useContext(PlanActionsContext);
  if (!actions) throw new Error('usePlanActions outside the plan registry');
  return actions;
}

/** The registry's actions: asks Confluence's state and the signed-in person once, when the tab opens. */
export function usePlanActionsState(manager: boolean, timeZone: string, changed: (message: string) => void): PlanActions {
  const [confluence, setConfluence] = useState<ConfluenceState | undefined>();
  const [accountId, setAccountId] = useState<string | undefined>();
  useEffect(() => {
    confluenceState()
      .catch(bridgeError)
      .then((r) => setConfluence(r.ok ? r.data : { connected: 'unknown', message: r.error.message }));
    forgeView
      .getContext()
      .then((c) => setAccountId((c as { accountId?: string }).accountId))
      .catch(() => undefined);
  }, []);
  return useMemo(() => {
    const pagesOff = confluence?.connected === 'not-connected';
    return { manager, accountId, confluence, pagesOff, canPublish: !pagesOff && confluence?.location?.ok !== false, timeZone, changed };
  }, [manager, accountId, confluence, timeZone, changed]);
}

/** Confluence not connected, said plainly; or, to a manager, why new plan pages cannot be published yet. */
export function ConfluenceNotice() {
  const { confluence, manager } = usePlanActions();
  if (confluence?.connected === 'not-connected') {
    return (
      <Message kind="warning" title="Confluence is not connected." testId="confluence-state">
        {confluence.message}
      </Message>
    );
  }
  if (manager && confluence?.location && !confluence.location.ok) {
    return (
      <Message kind="warning" title="New plan pages cannot be published yet." testId="confluence-state">
        {confluence.location.message}
      </Message>
    );
  }
  return null;
}

/** For a service without a plan page: publish one from the template, or adopt a page by its link. */
export function PageActions({ serviceId, serviceName }: { serviceId: string; serviceName: string }) {
  const { manager, pagesOff, canPublish, changed } = usePlanActions();
  const [adopting, setAdopting] = useState(false);
  const [link, setLink] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ResolverError | undefined>();
  if (!manager || pagesOff) return null;

  const run = async (work: () => ReturnType<typeof createPlanPage>, success: (title: string) => string) => {
    setBusy(true);
    const answer = await work().catch(bridgeError);
    setBusy(false);
    if (!answer.ok) return setError(answer.error);
    setError(undefined);
    setAdopting(false);
    changed(success(answer.data.title));
  };
  const adopt = (event: FormEvent) => {
    event.preventDefault();
    void run(() => adoptPage({ serviceId, pageUrl: link.trim() }), (title) => `${title} is now the plan page of ${serviceName}; its steps were read.`);
  };
  const linkId = `adopt-link-${serviceId}`;
  return (
    <div className="page-actions" data-testid="page-actions">
      <div className="row-actions">
        <Button spacing="compact" isDisabled={!canPublish || busy} onClick={() => void run(() => createPlanPage(serviceId), (title) => `Published the plan page ${title}.`)} aria-label={`Create plan page for ${serviceName}`} testId="create-plan-page">
          Create plan page
        </Button>
        {!adopting && (
          <Button spacing="compact" appearance="subtle" onClick={() => setAdopting(true)} aria-label={`Adopt a page for ${serviceName}`} testId="adopt-page">
            Adopt a page
          </Button>
        )}
      </div>
      {adopting && (
        <form onSubmit={adopt} className="adopt-form" data-testid="adopt-form">
          <label className="field-label" htmlFor={linkId}>
            Link of the Confluence page that is the plan of {serviceName}
          </label>
          <Textfield id={linkId} value={link} onChange={(e) => setLink(e.currentTarget.value)} placeholder="…/wiki/spaces/KEY/pages/123/…" isCompact testId="adopt-link" />
          <div className="row-actions">
            <Button type="submit" spacing="compact" appearance="primary" isLoading={busy} testId="adopt-submit">
              Adopt
            </Button>
            <Button spacing="compact" appearance="subtle" onClick={() => setAdopting(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      {error && (
        <div className="field-error" role="alert" data-testid="page-action-error">
          {error.message}
        </div>
      )}
    </div>
  );
}

const MOVE_WORDS: Record<PlanStatus, (from: PlanStatus) => string> = {
  draft: (from) => (from === 'retired' ? 'Restore as draft' : 'Back to draft'),
  'in-review': (from) => (from === 'approved' ? 'Review again' : 'Send for review'),
  approved: () => 'Approve',
  retired: () => 'Retire',
};

/** Under a plan's status: who moved it there and when, its next moves, and "Mark reviewed". */
export function StatusActions({ row }: { row: PlanRow }) {
  const { manager, accountId, pagesOff, timeZone, changed } = usePlanActions();
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<ResolverError | undefined>();
  const owner = accountId !== undefined && row.owner?.accountId === accountId;
  // A plan with a page changes only with its page (its status line and review history).
  const writable = !(row.page && pagesOff);
  const moves = writable ? NEXT_STATUSES[row.status].filter((s) => manager || (owner && s === 'approved')) : [];
  const canReview = writable && row.status !== 'retired' && (manager || owner);

  const run = async (what: string, work: () => ReturnType<typeof markPlanReviewed>, success: string) => {
    setBusy(what);
    const answer = await work().catch(bridgeError);
    setBusy(undefined);
    if (!answer.ok) return setError(answer.error);
    setError(undefined);
    changed(success);
  };
  return (
    <>
      {row.lastMove && (
        <div className="subtlest" data-testid="status-moved">
          {STATUS_WORDS[row.lastMove.status]} by {row.lastMove.by.displayName ?? 'someone'} on {formatDate(row.lastMove.at, timeZone)}
        </div>
      )}
      {(moves.length > 0 || canReview) && (
        <div className="row-actions">
          {moves.map((to) => (
            <Button
              key={to}
              spacing="compact"
              isLoading={busy === to}
              isDisabled={busy !== undefined}
              onClick={() => void run(to, () => setPlanStatus({ planId: row.id, status: to, expected: row.status }), `${row.title} is ${STATUS_WORDS[to].toLowerCase()} now.`)}
              aria-label={`${MOVE_WORDS[to](row.status)}: ${row.title}`}
              testId={`move-${to}`}
            >
              {MOVE_WORDS[to](row.status)}
            </Button>
          ))}
          {canReview && (
            <Button spacing="compact" appearance="subtle" isLoading={busy === 'review'} isDisabled={busy !== undefined} onClick={() => void run('review', () => markPlanReviewed(row.id), `Recorded a review of ${row.title}.`)} aria-label={`Mark reviewed: ${row.title}`} testId="mark-reviewed">
              Mark reviewed
            </Button>
          )}
        </div>
      )}
      {error && (
        <div className="field-error" role="alert" data-testid="status-error">
          {error.message}
        </div>
      )}
    </>
  );
}

/** The problems behind a plan's flags, in words: steps unreadable since a version, a review due after a change. */
export function PlanProblems({ row }: { row: PlanRow }) {
  if (!row.problems?.length) return null;
  return (
    <ul className="plan-problems" data-testid="plan-problems">
      {row.problems.map((p) => (
        <li key={p.flag} data-flag={p.flag}>
          {p.text}
        </li>
      ))}
    </ul>
  );
}
