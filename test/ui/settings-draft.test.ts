/**
 * The settings page's copy of the settings (static/settings/src/draft.ts): what the form shows, and what
 * the save and "Check configuration" send back for the resolver to read (and refuse, by field).
 */
import { fromDraft, toDraft } from '../../static/settings/src/draft';
import { formSettings } from '../../src/services/settings';
import type { SettingsData } from '../../src/contract/settings';

const base: SettingsData = { ...formSettings({ projectKeys: ['OPS'], issueTypeNames: ['Incident'], requestTypeNames: [], p1Priorities: ['Highest'], majorIncidentQualifies: true }), managerGroups: ['continuity-managers', 'sre'] };

test('durations, lists and amounts are shown as text, and go back as the resolver reads them', () => {
  const draft = toDraft({ ...base, costThresholds: { currency: 'EUR', tier1PerHour: 100_000, tier2PerHour: 10_000 } });
  expect(draft.managerGroups).toBe('continuity-managers, sre');
  expect(draft.costThresholds).toEqual({ currency: 'EUR', tier1PerHour: '100000', tier2PerHour: '10000' });
  expect(fromDraft(draft)).toMatchObject({ managerGroups: ['continuity-managers', 'sre'], costThresholds: { currency: 'EUR', tier1PerHour: 100_000, tier2PerHour: 10_000 }, reviewCadence: base.reviewCadence });
});

test('cost thresholds: all empty is none; thousands separators are read; anything else goes as typed, for the resolver to refuse', () => {
  const draft = toDraft(base);
  expect(draft.costThresholds).toEqual({ currency: '', tier1PerHour: '', tier2PerHour: '' });
  expect(fromDraft(draft)).toMatchObject({ costThresholds: null });
  expect(fromDraft({ ...draft, costThresholds: { currency: 'EUR', tier1PerHour: '100,000', tier2PerHour: 'abc' } })).toMatchObject({ costThresholds: { currency: 'EUR', tier1PerHour: 100_000, tier2PerHour: 'abc' } });
  expect((fromDraft({ ...draft, costThresholds: { currency: 'EUR', tier1PerHour: '', tier2PerHour: '5' } }) as { costThresholds: object }).costThresholds).toEqual({ currency: 'EUR', tier1PerHour: undefined, tier2PerHour: 5 });
});

test('the new settings go back as the form holds them (empty is the default)', () => {
  const sent = fromDraft(toDraft({ ...base, postmortemSpaceKey: 'ITSC', postmortemOnRecovery: true, drillProjectKey: 'OPS', drillIssueTypeName: '', followUpIssueTypeName: 'Change' })) as SettingsData;
  expect(sent).toMatchObject({ postmortemSpaceKey: 'ITSC', postmortemParentPageId: '', postmortemOnRecovery: true, drillProjectKey: 'OPS', drillIssueTypeName: '', followUpIssueTypeName: 'Change' });
});
