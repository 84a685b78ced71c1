/**
 * "Publish postmortem" (a drill's report on an exercise issue): the published page, who published it
 * and when, the impact in the publisher's words, and the note that findings go back to the plan pages
 * once nothing is open. Publishing again updates the same page and keeps what people wrote on it.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import TextArea from '@atlaskit/textarea';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import type { LoopPanelView } from '../../../../src/contract/loop';
import * as api from './api';
import { FollowUps } from './FollowUps';
import { formatTime } from '../../../shared/time';
import type { Act } from './types';

export function PostmortemActions({ loop, canEdit, act, timeZone }: { loop: LoopPanelView; canEdit: boolean; act: Act; timeZone?: string }) {
  const [impact, setImpact] = useState(loop.impact ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const what = loop.drill ? 'drill report' : 'postmortem';
  const published = loop.postmortem;

  const publish = async () => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    const failure = await act(() => api.publishPostmortem(impact.trim() === '' ? {} : { impact }));
    setBusy(false);
    if (failure) setError(failure.message);
    else setDone(published ? `The ${what} was updated; what people wrote on it was kept.` : `The ${what} was published.`);
  };

  return (
    <section aria-labelledby="postmortem-title" data-testid="postmortem">
      <Stack space="space.100">
        <h4 id="postmortem-title">{loop.drill ? 'Drill report' : 'Postmortem'}</h4>
        {published ? (
          <Text>
            <a href={published.url} target="_blank" rel="noreferrer" data-testid="postmortem-link">
              {published.title}
            </a>{' '}
            <span className="muted">
              — published {formatTime(published.publishedAt, timeZone)}
              {published.publishedBy ? ` by ${published.publishedBy}` : ''}
              {published.publications > 1 ? ` (${published.publications} publications)` : ''}
            </span>
          </Text>
        ) : (
          <Text color="color.text.subtle">Not published yet. The {what} shows RTO achieved against target, every step's actual against expected time, the timeline and the updates sent.</Text>
        )}
        {loop.publishing && (
          <p className="message" role="status" data-testid="postmortem-publishing">
            {loop.publishing.by} is publishing it right now.
          </p>
        )}
        {canEdit && loop.canPublish && (
          <>
            <label htmlFor="postmortem-impact">Impact (optional: who and what was affected)</label>
            <TextArea id="postmortem-impact" value={impact} onChange={(e) => setImpact(e.currentTarget.value)} minimumRows={2} resize="vertical" maxHeight="12em" testId="postmortem-impact" />
            <Inline space="space.100" alignBlock="center" shouldWrap>
              {/* While the incident runs, recovery is the job: publishing is offered, not pressed on anyone. */}
              <Button appearance={loop.feedsFindings ? 'primary' : 'default'} onClick={() => void publish()} isLoading={busy} testId="publish-postmortem">
                {published ? `Publish the ${what} again` : `Publish ${what}`}
              </Button>
              {!loop.feedsFindings && <Text size="small" color="color.text.subtlest">Published now, it is a draft of the incident so far; findings go back to the plan pages once every plan is recovered or stood down.</Text>}
            </Inline>
          </>
        )}
        {error && (
          <p className="message error" role="alert" data-testid="postmortem-error">
            {error}
          </p>
        )}
        {done && (
          <p className="message success" role="status" data-testid="postmortem-done">
            {done}
          </p>
        )}
        <FollowUps loop={loop} canEdit={canEdit} act={act} />
      </Stack>
    </section>
  );
}

export default PostmortemActions;
