import { hasConventions, readStepLine } from './step-line';

describe('readStepLine', () => {
  it.each([
    ['Fail over the database — DBA — 20 min', { title: 'Fail over the database', role: 'DBA', minutes: 20 }],
    ['Fail over the database – DBA – 1 h 30 min', { title: 'Fail over the database', role: 'DBA', minutes: 90 }],
    ['Fail over the database—DBA—20 min', { title: 'Fail over the database', role: 'DBA', minutes: 20 }],
    ['Fail over the database - DBA - 20 min', { title: 'Fail over the database', role: 'DBA', minutes: 20 }],
    ['Fail over the database | DBA | 20 min', { title: 'Fail over the database', role: 'DBA', minutes: 20 }],
    ['Fail over the database (DBA, 20 min)', { title: 'Fail over the database', role: 'DBA', minutes: 20 }],
    ['Fail over the database (20 min, DBA)', { title: 'Fail over the database', role: 'DBA', minutes: 20 }],
    ['Fail over the database (20 min)', { title: 'Fail over the database', minutes: 20 }],
    ['Fail over the database — 20 min', { title: 'Fail over the database', minutes: 20 }],
    ['Fail over the database - 2 hours', { title: 'Fail over the database', minutes: 120 }],
    ['Fail over the database — DBA', { title: 'Fail over the database', role: 'DBA' }],
    ['Fail over the database — Role: DBA — Duration: 20 min', { title: 'Fail over the database', role: 'DBA', minutes: 20 }],
    ['Fail over the primary - replica pair — DBA — 20 min', { title: 'Fail over the primary - replica pair', role: 'DBA', minutes: 20 }],
    ['Fail over the database', { title: 'Fail over the database' }],
    ['Restore backups - verify checksums', { title: 'Restore backups - verify checksums' }],
    ['Restore (if needed)', { title: 'Restore (if needed)' }],
    ['Migrate 2020–2021 data', { title: 'Migrate 2020–2021 data' }],
    ['Restore — make sure the backup predates the attack, then restore it everywhere.', { title: 'Restore — make sure the backup predates the attack, then restore it everywhere.' }],
  ])('%j', (line, expected) => {
    const read = readStepLine(line);
    expect({ title: read.title, ...(read.role ? { role: read.role } : {}), ...(read.minutes !== undefined ? { minutes: read.minutes } : {}) }).toEqual(expected);
  });

  it('hasConventions tells steps from group labels', () => {
    expect(hasConventions('Fail over — DBA — 20 min')).toBe(true);
    expect(hasConventions('Phase 1: assess')).toBe(false);
  });
});
