/**
 * Publishing the practice review against typed fakes: filled from the seeded data set, published twice
 * for a period it is one page (updated, with what people wrote kept), a person's save between the
 * app's read and write is merged, two managers publishing at once make one page, a create whose answer
 * was lost is found by its title, and the role is checked on the server.
 */
import { adfErrors, headingTitles, sectionText } from '../domain/pages/adf-testing';
import { reviewSectionText } from '../domain/pages/review';
import { UpstreamError } from '../domain/errors';
import { publishReview, reviewStatus } from './review';
import type { FakeConfluence } from './testing/confluence-fakes';
import { fakeDeps, type FakeDeps } from './testing/fakes';
import { asManager, asReader, MANAGER, seedMeasureData } from './testing/measure-fixtures';

let deps: FakeDeps;
let confluence: FakeConfluence;

const publish = (period = '2026-Q4', extra: Record<string, string> = {}) => publishReview({ period, spaceKey: 'CONT', ...extra }, MANAGER.accountId, asManager(deps));

beforeEach(async () => {
  deps = fakeDeps();
  confluence = deps.confluence;
  confluence.addSpace('CONT', 'Continuity');
  await seedMeasureData(deps);
});

const reviewPages = () => [...confluence.pages.values()].filter((p) => p.status === 'current' && p.versions.at(-1)!.title.startsWith('IT service continuity review'));
const bodyOf = (pageId: string) => confluence.latest(pageId).body;

describe('the review page', () => {
  it('is an ISO 20000-shaped review filled from the app\'s data, valid ADF', async () => {
    const answer = await publish();
    expect(answer).toMatchObject({ period: '2026-Q4', title: 'IT service continuity review Q4 2026', created: true, version: 1 });
    const body = bodyOf(answer.pageId);
    expect(adfErrors(body)).toEqual([]);
    expect(headingTitles(body, 2)).toEqual(['Objectives', 'Scope', 'Roles and responsibilities', 'Indicators', 'Strengths', 'Gaps', 'Actions', 'Notes']);
    expect(sectionText(body, 'Scope')).toContain('Services in scope: 5 active services in the continuity catalogue: 2 in Tier 1 (Gold), 2 in Tier 2 (Silver), 1 in Tier 3 (Bronze). Retired services are out of scope. Continuity plans: 5.');
    const gaps = sectionText(body, 'Gaps')!.join('\n');
    expect(gaps).toContain('Only 75% (3 of 4) of Tier 1 and 2 services have an approved plan, below the 90% target.');
    expect(gaps).toContain('Tier 1 and 2 services without an approved plan: Customer portal (Tier 2).');
    expect(gaps).toContain('Risks with no continuity mechanism: Failure of a key vendor for Customer portal.');
    expect(gaps).toContain('1 of 2 incident recoveries in the period missed their RTO.');
    expect(sectionText(body, 'Strengths')).toEqual(['1 disaster practice was carried out in the period.']);
  });

  it('published twice for a period is one page: updated, with what people wrote kept', async () => {
    const first = await publish();
    // The manager finishes the page: objectives of their own, an action ticked, a section of their own.
    confluence.edit(first.pageId, (body: { content: unknown[] }) => {
      const objectives = body.content.findIndex((n) => JSON.stringify(n).includes('"Objectives"'));
      body.content.splice(objectives + 1, 1, { type: 'paragraph', content: [{ type: 'text', text: 'Our own objectives for 2026.' }] });
      body.content.push({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Auditor comments' }] }, { type: 'paragraph', content: [{ type: 'text', text: 'Seen by the auditor.' }] });
      return body;
    });

    const second = await publish();
    expect(second).toMatchObject({ pageId: first.pageId, created: false, version: 3 });
    expect(reviewPages()).toHaveLength(1);
    const again = bodyOf(first.pageId);
    expect(adfErrors(again)).toEqual([]);
    expect(reviewSectionText(again, 'Objectives')).toBe('Our own objectives for 2026.');
    expect(headingTitles(again, 2)).toEqual(['Objectives', 'Scope', 'Roles and responsibilities', 'Indicators', 'Strengths', 'Gaps', 'Actions', 'Notes', 'Auditor comments']);
    expect(sectionText(again, 'Auditor comments')).toEqual(['Seen by the auditor.']);
    const status = await reviewStatus('2026-Q4', asReader(deps));
    expect(status.page).toMatchObject({ id: first.pageId, publishedBy: { accountId: MANAGER.accountId } });
  });

  it('merges a person\'s save made between the app\'s read and its write', async () => {
    const first = await publish();
    confluence.onBeforeUpdate = (pageId) => {
      confluence.onBeforeUpdate = undefined;
      confluence.edit(pageId, (body: { content: unknown[] }) => ({ ...body, content: [...body.content, { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Late addition' }] }] }));
    };
    const updates = confluence.count('updatePage');
    const second = await publish();
    expect(second.pageId).toBe(first.pageId);
    expect(headingTitles(bodyOf(first.pageId), 2)).toContain('Late addition');
    expect(confluence.count('updatePage') - updates).toBe(2);
  });

  it('made by two managers publishing at once is one page', async () => {
    const answers = await Promise.allSettled([publish(), publish()]);
    expect(reviewPages()).toHaveLength(1);
    const done = answers.filter((a) => a.status === 'fulfilled');
    expect(done.length).toBeGreaterThanOrEqual(1);
    for (const refused of answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected')) expect(refused.reason).toMatchObject({ code: 'CONFLICT' });
    const again = await publish();
    expect(again.created).toBe(false);
    expect(reviewPages()).toHaveLength(1);
  });

  it('is found by its title when the answer to its creation was lost, and not made twice', async () => {
    // The page is made, but the answer is lost on its way back.
    const manager = asManager(deps);
    const create = manager.confluence.createPage.bind(manager.confluence);
    manager.confluence.createPage = async (input) => {
      manager.confluence.createPage = create;
      await create(input);
      throw new UpstreamError(502, 'New Confluence page');
    };
    const answer = await publishReview({ period: '2026-Q4', spaceKey: 'CONT' }, MANAGER.accountId, manager);
    expect(answer.created).toBe(false);
    expect(reviewPages()).toHaveLength(1);
    expect((await deps.measure.getReview('2026-Q4'))?.pageId).toBe(answer.pageId);
  });

  it('is made again when its page was deleted, and goes to a new period\'s own page', async () => {
    const first = await publish();
    confluence.pages.delete(first.pageId);
    const second = await publish();
    expect(second).toMatchObject({ created: true });
    expect(second.pageId).not.toBe(first.pageId);
    const q3 = await publish('2026-Q3');
    expect(q3.title).toBe('IT service continuity review Q3 2026');
    expect(reviewPages()).toHaveLength(2);
  });

  it('compares with the previous period\'s published review', async () => {
    await publish('2026-Q3');
    const answer = await publish('2026-Q4');
    const text = JSON.stringify(bodyOf(answer.pageId));
    expect(text).toContain('Unchanged since 2026-Q3');
  });
});

describe('publishing', () => {
  it('needs the Service Continuity Manager role, a space, and a period that has started', async () => {
    await expect(publishReview({ period: '2026-Q4', spaceKey: 'CONT' }, 'reader-1', asReader(deps))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(publishReview({ period: '2026-Q4' }, MANAGER.accountId, asManager(deps))).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'spaceKey' });
    await expect(publish('2026-Q4', { spaceKey: 'NOPE' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'spaceKey', message: 'Confluence has no space with the key NOPE that the app can see.' });
    await expect(publish('2027-Q2')).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'period' });
    expect(reviewPages()).toHaveLength(0);
    expect(await deps.measure.getReview('2026-Q4')).toBeUndefined();
  });
});
