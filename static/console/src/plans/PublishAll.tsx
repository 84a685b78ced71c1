/**
 * "Publish all": plan pages for every active service without one, through the app's queue in batches.
 * Progress comes from `plans/publish-progress`, asked every 1.5 s while the job runs (a job started
 * earlier, by anyone, shows when the tab opens and is followed the same way).
 */
import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import type { ResolverError } from '../../../../src/contract/errors';
import type { PublishProgress } from '../../../../src/contract/plans';
import { bridgeError } from '../api';
import { plural } from '../components/format';
import { Message } from '../components/Message';
import { publishAll, publishProgress } from './plan-api';

export const POLL_MS = 1_500;

function progressText(p: PublishProgress): string {
  const counts = `${plural(p.published, 'page')} published, ${p.skipped} skipped, ${p.failed.length} failed`;
  if (p.total === 0) return 'Every active service has a plan page already.';
  return p.state === 'running' ? `Publishing plan pages: ${p.processed} of ${plural(p.total, 'service')} done (${counts}).` : `Publishing finished: ${p.processed} of ${plural(p.total, 'service')} (${counts}).`;
}

/** `onFinished`: the job is done (its result shows here): list the plans again. */
export function PublishAll({ manager, disabled, onFinished }: { manager: boolean; disabled: boolean; onFinished: () => void }) {
  const [progress, setProgress] = useState<PublishProgress | undefined>();
  /** Set once this page started or followed a running job: only then is a finished one shown. */
  const [following, setFollowing] = useState(false);
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<ResolverError | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (disabled) return;
    publishProgress()
      .catch(bridgeError)
      .then((r) => {
        if (r.ok && r.data?.state === 'running') {
          setFollowing(true);
          setProgress(r.data);
        }
      });
  }, [disabled]);

  useEffect(() => {
    if (progress?.state !== 'running') return;
    const timer = setTimeout(async () => {
      const r = await publishProgress(progress.jobId).catch(bridgeError);
      if (r.ok && r.data) {
        setError(undefined);
        setProgress(r.data);
        if (r.data.state === 'done') onFinished();
      } else {
        if (!r.ok) setError(r.error);
        setTick((t) => t + 1); // ask again
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [progress, tick, onFinished]);

  const start = async () => {
    setBusy(true);
    const r = await publishAll().catch(bridgeError);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setFollowing(true);
    setProgress(r.data);
    if (r.data.state === 'done') onFinished();
  };

  const running = progress?.state === 'running';
  return (
    <>
      {manager && !disabled && (
        <div>
          <Button onClick={() => void start()} isLoading={busy} isDisabled={running} testId="publish-all">
            Publish all plan pages
          </Button>{' '}
          <span className="subtlest">A page from the template for every active service without one.</span>
        </div>
      )}
      {following && progress && (
        <div className={`message ${progress.state === 'running' ? 'info' : progress.failed.length > 0 ? 'warning' : 'success'}`} role="status" data-testid="publish-progress" data-state={progress.state}>
          <progress max={Math.max(1, progress.total)} value={progress.processed} aria-label="Plan pages published" /> {progressText(progress)}
          {progress.failed.length > 0 && (
            <ul>
              {progress.failed.slice(0, 10).map((f) => (
                <li key={f.serviceId}>
                  {f.serviceId}: {f.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && (
        <Message kind="error" title="Publishing:" testId="publish-error">
          {error.message}
        </Message>
      )}
    </>
  );
}
