import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import type { PublishReviewAnswer, ReviewStatus } from '../../../../../src/contract/measure';
import { bridgeError } from '../../api';
import { describedBy, Field } from '../../components/Field';
import { formErrors, noErrors, type FormErrors } from '../../components/errors';
import { formatDate } from '../../components/format';
import { Message } from '../../components/Message';
import { Select } from '../../components/Select';
import { useConsole } from '../../context';
import { publishReview, reviewStatus } from '../measure-api';

const FIELDS = ['period', 'spaceKey', 'parentPageId'] as const;

/** "Publish review": the practice review of a period as a Confluence page; publishing again updates that page. */
export function ReviewPanel({ firstPeriod }: { firstPeriod: string }) {
  const { view } = useConsole();
  const manager = view.role.manager;
  const [period, setPeriod] = useState(firstPeriod);
  const [status, setStatus] = useState<ReviewStatus | undefined>();
  const [periods, setPeriods] = useState<string[]>([firstPeriod]);
  const [spaceKey, setSpaceKey] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [published, setPublished] = useState<PublishReviewAnswer | undefined>();

  useEffect(() => {
    void reviewStatus(period)
      .catch(bridgeError)
      .then((answer) => {
        if (!answer.ok) return setErrors(formErrors(answer.error, FIELDS));
        setStatus(answer.data);
        setPeriods((known) => [...new Set([...known, ...answer.data.suggestedPeriods])]);
        setSpaceKey((typed) => typed || answer.data.defaultSpaceKey || '');
      });
  }, [period]);

  const publish = async () => {
    setBusy(true);
    const answer = await publishReview({ period, ...(spaceKey.trim() ? { spaceKey: spaceKey.trim() } : {}) }).catch(bridgeError);
    setBusy(false);
    if (!answer.ok) return setErrors(formErrors(answer.error, FIELDS));
    setErrors(noErrors);
    setPublished(answer.data);
    const fresh = await reviewStatus(period).catch(bridgeError);
    if (fresh.ok) setStatus(fresh.data);
  };

  return (
    <section className="panel" aria-labelledby="review-heading" data-testid="review-panel">
      <Stack space="space.200">
        <h3 id="review-heading">Practice review</h3>
        <p className="subtle">
          A Confluence page in the shape of an ISO 20000 continuity review (objectives, scope, roles, these indicators with their trend, strengths, gaps and actions), filled from the app&apos;s data for you to finish. Publishing again for the same period updates the same page and keeps what people wrote in it.
        </p>
        <div className="form-grid">
          <Select id="review-period" label="Period" value={period} options={periods.map((p) => ({ value: p, label: p }))} onChange={(p) => setPeriod(p)} />
          {!status?.page && (
            <Field id="review-space" label="Confluence space (key)" error={errors.fields.spaceKey} help="Where the period's page is created.">
              <Textfield id="review-space" value={spaceKey} onChange={(e) => setSpaceKey(e.currentTarget.value)} isDisabled={!manager} isInvalid={!!errors.fields.spaceKey} aria-describedby={describedBy('review-space', errors.fields.spaceKey, true)} testId="review-space" />
            </Field>
          )}
        </div>
        {status?.page ? (
          <p data-testid="review-page">
            The review for {status.label} is on{' '}
            {status.page.url ? (
              <a href={status.page.url} target="_blank" rel="noreferrer">
                {status.page.title}
              </a>
            ) : (
              status.page.title
            )}
            {status.page.publishedAt !== undefined && `, last published on ${formatDate(status.page.publishedAt, view.timeZone)}${status.page.publishedBy?.displayName ? ` by ${status.page.publishedBy.displayName}` : ''}`}.
          </p>
        ) : (
          status && <p className="subtle">No review has been published for {status.label} yet.</p>
        )}
        {errors.form && (
          <Message kind="error" testId="review-error">
            {errors.form}
          </Message>
        )}
        {published && (
          <Message kind="success" testId="review-notice">
            {published.created ? 'Published' : 'Updated'} {published.title}
            {published.url && (
              <>
                {' '}
                <a href={published.url} target="_blank" rel="noreferrer">
                  Open the page
                </a>
              </>
            )}
          </Message>
        )}
        {manager && (
          <Inline space="space.100">
            <Button appearance="primary" onClick={() => void publish()} isLoading={busy} testId="publish-review">
              Publish review
            </Button>
          </Inline>
        )}
      </Stack>
    </section>
  );
}
