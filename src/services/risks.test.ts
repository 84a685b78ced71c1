/**
 * The risk register against typed fakes: the implementation duration KPI and the flags on known risks,
 * the register's summary, the role and version checks, and the indicators following edits and deletes.
 */
import { indicatorViews } from '../domain/indicators';
import { saveCatalogue } from './catalogue';
import { catalogueReporter, currentAggregates } from './indicators';
import { deleteRisk, riskRegister, saveRisk } from './risks';
import { fakeDeps, type FakeDeps } from './testing/fakes';
import { service } from './testing/fixtures';
import { asManager, asReader, MANAGER } from './testing/measure-fixtures';

let deps: FakeDeps;
const DAY = 86_400_000;

beforeEach(async () => {
  deps = fakeDeps();
  deps.clock.set(Date.UTC(2026, 10, 15, 12));
  await saveCatalogue({ services: [service('payments', { name: 'Payments' }), service('old', { name: 'Old', status: 'retired' })], plans: [] }, deps.catalogue, undefined, catalogueReporter(deps));
});

const risk = (fields: Record<string, unknown> = {}) => ({ serviceId: 'payments', threat: { scenario: 'ransomware' }, likelihood: 4, impact: 4, identifiedAt: '2026-02-01', ...fields }) as never;
const save = (fields: Record<string, unknown> = {}, id?: string, expectedVersion?: number) => saveRisk({ ...(id ? { id, expectedVersion } : {}), risk: risk(fields) }, MANAGER.accountId, asManager(deps));
const implementation = async () => indicatorViews(await currentAggregates(deps), deps.clock.now()).implementationDays;

describe('the implementation duration', () => {
  it('is the whole days from identification to the mechanism in place, and feeds the indicator', async () => {
    const standby = await save({ mechanism: { kind: 'standby', description: 'Warm standby', state: 'in-place' }, mechanismInPlaceAt: '2026-03-18' });
    expect(standby.implementationDays).toBe(45);
    const tested = await save({ identifiedAt: '2026-01-10', mechanism: { kind: 'plan', description: 'Restore plan', state: 'tested' }, mechanismInPlaceAt: '2026-01-20T18:00Z' });
    expect(tested.implementationDays).toBe(10);
    const planned = await save({ mechanism: { kind: 'vendor-contract', description: 'Second provider', state: 'planned' }, mechanismPlannedAt: '2026-02-10' });
    expect(planned.implementationDays).toBeUndefined();
    expect(await implementation()).toEqual({ count: 2, meanDays: 27.5, medianDays: 27.5 });
  });

  it('follows the risk: a mechanism put in place later counts from then, and a deleted risk stops counting', async () => {
    const first = await save({ mechanism: { kind: 'backup', description: 'Offsite backups', state: 'planned' } });
    expect((await implementation()).count).toBe(0);
    const inPlace = await save({ mechanism: { kind: 'backup', description: 'Offsite backups', state: 'in-place' }, mechanismInPlaceAt: '2026-04-02' }, first.id, first.version);
    expect(inPlace.implementationDays).toBe(60);
    expect(await implementation()).toEqual({ count: 1, meanDays: 60, medianDays: 60 });
    await deleteRisk({ id: inPlace.id, expectedVersion: inPlace.version }, asManager(deps));
    expect((await implementation()).count).toBe(0);
  });
});

describe('flags', () => {
  it('flags a risk with no mechanism, a mechanism planned too long, and a high risk not tested', async () => {
    const none = await save({ likelihood: 1, impact: 2 });
    expect(none.flags.map((f) => f.flag)).toEqual(['no-mechanism']);
    const overdue = await save({ likelihood: 2, impact: 2, mechanism: { kind: 'standby', description: 'A standby', state: 'planned' }, mechanismPlannedAt: '2026-05-01' });
    expect(overdue.flags).toEqual([{ flag: 'mechanism-overdue', message: 'The mechanism has been planned for 198 days (more than 90) without being put in place.' }]);
    const high = await save({ mechanism: { kind: 'standby', description: 'A standby', state: 'in-place' }, mechanismInPlaceAt: '2026-03-01' });
    expect(high).toMatchObject({ score: 16, rating: 'critical', flags: [{ flag: 'high-risk-untested', message: 'A critical risk (score 16) without a tested mechanism.' }] });
    const register = await riskRegister({ serviceId: 'payments' }, asReader(deps));
    expect(register.summary).toEqual({ risks: 3, withoutMechanism: 1, flagged: 3, meanImplementationDays: 28 });
    expect(register.risks.map((r) => r.threat.name)).toEqual(['Ransomware', 'Ransomware', 'Ransomware']);
    expect(register.choices.threats.at(-1)).toEqual({ id: 'other', name: 'Other (describe it)' });
  });
});

describe('changes', () => {
  it('need the Service Continuity Manager role, checked on the server', async () => {
    await expect(saveRisk({ risk: risk() }, 'reader-1', asReader(deps))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const saved = await save();
    await expect(deleteRisk({ id: saved.id, expectedVersion: saved.version }, asReader(deps))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('are refused over someone else\'s newer save, and for a retired service or a date in the future', async () => {
    const saved = await save();
    await save({ likelihood: 2 }, saved.id, saved.version);
    await expect(save({ likelihood: 5 }, saved.id, saved.version)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(deleteRisk({ id: saved.id, expectedVersion: saved.version }, asManager(deps))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(save({ serviceId: 'old' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('retired') });
    await expect(save({ identifiedAt: new Date(deps.clock.now() + 3 * DAY).toISOString().slice(0, 10) })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'identifiedAt' });
    await expect(save({ mechanism: { kind: 'backup', description: 'Backups', state: 'in-place' } })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'mechanismInPlaceAt' });
  });

  it('keep a risk with its service, and describe a threat of the team\'s own', async () => {
    const own = await save({ threat: { scenario: 'other', description: 'Flooding of the basement' } });
    expect(own.threat).toEqual({ scenario: 'other', description: 'Flooding of the basement', name: 'Flooding of the basement' });
    await saveCatalogue({ services: [service('mail')], plans: [] }, deps.catalogue);
    await expect(save({ serviceId: 'mail' }, own.id, own.version)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'serviceId' });
  });
});
