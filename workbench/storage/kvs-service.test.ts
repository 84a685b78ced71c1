/**
 * Drives the real, unmodified `@forge/kvs` package against KvsService through the two globals the Forge
 * runtime provides (`__forge_runtime__`, `__forge_fetch__`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EntityDefinition, KvsService } from './kvs-service';
import { Journal } from './journal';

type KvsModule = typeof import('@forge/kvs');

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0); // 2026-01-01T12:00:00Z
const T0_SECONDS = 1767268800;
let clock = T0;
let service: KvsService;
const paths: string[] = [];

const g = globalThis as Record<string, unknown>;
// What @forge/kvs reads at load time (index.js getFetchClient): proxy.token, kvs.url/host, tracing ids.
g.__forge_runtime__ = {
  proxy: { token: 't' },
  kvs: { url: 'http://kvs', host: 'kvs' },
  tracing: { traceId: 'x', spanId: 'y' },
  metrics: { counter: () => ({ incr() {} }), timing: () => ({ measure: () => ({ stop() {} }) }) },
  appContext: {},
  lambdaContext: {},
};
g.__forge_fetch__ = async (target: { type: string }, apiPath: string, init: { body: string; headers: Record<string, string> }) => {
  expect(target.type).toBe('kvs');
  expect(init.headers.Authorization).toBe('Bearer t');
  paths.push(apiPath);
  const r = await service.handle(apiPath, JSON.parse(init.body));
  return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status, headers: { 'content-type': 'application/json' } });
};

// Required (not imported) so that the globals above exist when the package loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { kvs, WhereConditions, Filter, FilterConditions, Sort, MetadataField, ForgeKvsAPIError } = require('@forge/kvs') as KvsModule;

const entities: EntityDefinition[] = [
  {
    name: 'employee',
    attributes: {
      surname: { type: 'string' },
      age: { type: 'integer' },
      salary: { type: 'float' },
      active: { type: 'boolean' },
      team: { type: 'string' },
      tags: { type: 'any' },
      version: { type: 'integer' },
    },
    indexes: ['surname', { name: 'by-team-age', partition: ['team'], range: ['age'] }],
  },
  { name: 'continuity-plan', attributes: { serviceId: { type: 'string' }, title: { type: 'string' } }, indexes: [{ name: 'by-service', range: ['serviceId'] }] },
];

type Employee = { surname?: string; age?: number; salary?: number; active?: boolean; team?: string; tags?: unknown; version?: number };

async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof ForgeKvsAPIError>> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(ForgeKvsAPIError);
    return e as InstanceType<typeof ForgeKvsAPIError>;
  }
  throw new Error('expected the call to fail');
}

beforeEach(() => {
  clock = T0;
  paths.length = 0;
  service = new KvsService({ entities, now: () => clock });
});

afterEach(() => jest.restoreAllMocks());

describe('plain key-value store', () => {
  it('sets, gets and deletes values of every JSON type; a missing key reads as undefined', async () => {
    await kvs.set('str', 'hello');
    await kvs.set('num', 42.5);
    await kvs.set('bool', false);
    await kvs.set('arr', [1, 'two', { three: 3 }]);
    await kvs.set('obj', { a: { b: [true, null] } });
    expect(await kvs.get('str')).toBe('hello');
    expect(await kvs.get('num')).toBe(42.5);
    expect(await kvs.get('bool')).toBe(false);
    expect(await kvs.get('arr')).toEqual([1, 'two', { three: 3 }]);
    expect(await kvs.get('obj')).toEqual({ a: { b: [true, null] } });
    expect(await kvs.get('nope')).toBeUndefined();

    await kvs.delete('str');
    expect(await kvs.get('str')).toBeUndefined();
    await expect(kvs.delete('str')).resolves.toBeUndefined(); // 404 KEY_NOT_FOUND is swallowed by the package
    expect(paths).toContain('/api/v1/delete');
    expect(service.stats()).toEqual({ keys: 4, entities: 0, secrets: 0 });
  });

  it('answers a missing key with 404 KEY_NOT_FOUND and a plain set with an empty 204', async () => {
    expect(await service.handle('/api/v1/get', { key: 'missing' })).toEqual({
      status: 404, body: { code: 'KEY_NOT_FOUND', message: 'Provided key does not exist', context: { key: 'missing' } },
    });
    expect(await service.handle('/api/v1/set', { key: 'k', value: 1 })).toEqual({ status: 204 });
    expect(await service.handle('/api/v1/get', { key: 'k' })).toEqual({ status: 200, body: { key: 'k', value: 1 } });
    expect(await service.handle('/api/v1/nothing', {})).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: 'Unknown Forge storage API path: /api/v1/nothing' } });
    expect((await service.handle('/api/v1/get', 'not an object')).status).toBe(400);
  });

  it('keeps deep copies: mutating what was stored or returned does not change the store', async () => {
    const original = { list: [1, 2], nested: { x: 1 } };
    await service.handle('/api/v1/set', { key: 'doc', value: original });
    original.list.push(3);
    original.nested.x = 99;
    const first = (await service.handle('/api/v1/get', { key: 'doc' })).body as { value: { list: number[]; nested: { x: number } } };
    expect(first.value).toEqual({ list: [1, 2], nested: { x: 1 } });
    first.value.list.push(4);
    first.value.nested.x = 7;
    expect(await kvs.get('doc')).toEqual({ list: [1, 2], nested: { x: 1 } });
  });

  it('returns metadata (Unix seconds, ISO expireTime) and expires values after their TTL', async () => {
    await kvs.set('m', 'v1', { ttl: { value: 5, unit: 'MINUTES' } });
    clock = T0 + 60_000;
    await kvs.set('m', 'v2', { ttl: { value: 5, unit: 'MINUTES' } });
    const all = [MetadataField.CREATED_AT, MetadataField.UPDATED_AT, MetadataField.EXPIRE_TIME];
    expect(await kvs.get('m', { metadataFields: all })).toEqual({
      key: 'm', value: 'v2', createdAt: T0_SECONDS, updatedAt: T0_SECONDS + 60, expireTime: '2026-01-01T12:06:00Z',
    });
    expect(await kvs.get('m', { metadataFields: [MetadataField.UPDATED_AT] })).toEqual({ key: 'm', value: 'v2', updatedAt: T0_SECONDS + 60 });

    clock = T0 + 6 * 60_000 - 1;
    expect(await kvs.get('m')).toBe('v2');
    clock = T0 + 6 * 60_000;
    expect(await kvs.get('m')).toBeUndefined();
    expect((await kvs.query().getMany()).results).toEqual([]);
    expect(service.stats().keys).toBe(0);
  });

  it('honours keyPolicy FAIL_IF_EXISTS (409 KEY_CONFLICT) and OVERRIDE with returnValue', async () => {
    await kvs.set('lock', 'owner-a', { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 30, unit: 'SECONDS' } });
    const conflict = await apiError(kvs.set('lock', 'owner-b', { keyPolicy: 'FAIL_IF_EXISTS' }));
    expect(conflict.code).toBe('KEY_CONFLICT');
    expect(conflict.responseDetails.status).toBe(409);
    expect(await kvs.get('lock')).toBe('owner-a');
    clock = T0 + 30_000; // the lease expired: the key can be taken again
    await kvs.set('lock', 'owner-b', { keyPolicy: 'FAIL_IF_EXISTS' });
    expect(await kvs.get('lock')).toBe('owner-b');

    expect(await kvs.set('counter', 1, { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' })).toBeUndefined(); // created at T0 + 30 s
    clock = T0 + 32_000;
    expect(await kvs.set('counter', 2, { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS', returnMetadataFields: [MetadataField.CREATED_AT] }))
      .toEqual({ key: 'counter', value: 1, createdAt: T0_SECONDS + 30 });
    expect(await kvs.set('counter', 3, { keyPolicy: 'OVERRIDE', returnValue: 'LATEST', returnMetadataFields: [MetadataField.CREATED_AT, MetadataField.UPDATED_AT] }))
      .toEqual({ key: 'counter', value: 3, createdAt: T0_SECONDS + 30, updatedAt: T0_SECONDS + 32 });
  });

  it('queries by key prefix in key order, 20 per page at most, each key exactly once across cursor pages', async () => {
    const expected: string[] = [];
    for (let i = 44; i >= 0; i--) {
      const key = `page:${String(i).padStart(2, '0')}`;
      expected.unshift(key);
      await kvs.set(key, i);
    }
    await kvs.set('other:1', 'x');
    await kvs.set('pagf', 'x'); // sorts right after the prefix, must not match

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      let q = kvs.query().where('key', WhereConditions.beginsWith('page:')).limit(20);
      if (cursor) q = q.cursor(cursor);
      const { results, nextCursor } = await q.getMany<number>();
      sizes.push(results.length);
      for (const r of results) {
        seen.push(r.key);
        expect(r.value).toBe(Number(r.key.slice(5)));
      }
      cursor = nextCursor;
    } while (cursor);
    expect(sizes).toEqual([20, 20, 5]);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(45);

    expect((await kvs.query().where('key', WhereConditions.beginsWith('page:')).getMany()).results).toHaveLength(10); // default
    expect((await kvs.query().limit(50).getMany()).results).toHaveLength(20); // clamped to the maximum
    expect(await kvs.query().where('key', WhereConditions.beginsWith('other')).getOne()).toEqual({ key: 'other:1', value: 'x' });
    const withMeta = await kvs.query({ metadataFields: [MetadataField.CREATED_AT] }).where('key', WhereConditions.beginsWith('pagf')).getMany();
    expect(withMeta).toEqual({ results: [{ key: 'pagf', value: 'x', createdAt: T0_SECONDS }] });
    expect((await apiError(kvs.query().cursor('garbage').getMany())).code).toBe('INVALID_CURSOR');
  });
});

describe('secrets', () => {
  it('live in their own namespace, invisible to get and query', async () => {
    await kvs.setSecret('token', 's3cret');
    await kvs.set('token', 'plain');
    expect(await kvs.getSecret('token')).toBe('s3cret');
    expect(await kvs.get('token')).toBe('plain');
    expect((await kvs.query().getMany()).results).toEqual([{ key: 'token', value: 'plain' }]);
    expect(service.stats()).toEqual({ keys: 1, entities: 0, secrets: 1 });
    await kvs.deleteSecret('token');
    expect(await kvs.getSecret('token')).toBeUndefined();
    expect(await kvs.get('token')).toBe('plain');
    expect(paths.filter((p) => p.startsWith('/api/v1/secret/'))).toEqual(['/api/v1/secret/set', '/api/v1/secret/get', '/api/v1/secret/delete', '/api/v1/secret/get']);
  });
});

describe('custom entities', () => {
  async function seedEmployees(): Promise<void> {
    for (let i = 0; i < 30; i++) {
      await kvs.entity<Employee>('employee').set(`emp-${String(i).padStart(2, '0')}`, {
        surname: i % 5 === 0 ? `Smith${i}` : `Jones${i}`,
        age: 20 + i,
        team: i % 2 === 0 ? 'red' : 'blue',
        active: i % 3 !== 0,
        ...(i % 4 === 0 ? { tags: ['lead', 'oncall'] } : {}),
      });
    }
  }

  it('sets and gets entities in a namespace of their own', async () => {
    await kvs.entity<Employee>('employee').set('e1', { surname: 'Davis', age: 30, salary: 1000, active: true, tags: { any: ['thing'] } });
    expect(await kvs.entity<Employee>('employee').get('e1')).toEqual({ surname: 'Davis', age: 30, salary: 1000, active: true, tags: { any: ['thing'] } });
    expect(await kvs.get('e1')).toBeUndefined();
    expect(await kvs.entity('continuity-plan').get('e1')).toBeUndefined();
    expect(await kvs.entity<Employee>('employee').get('e1', { metadataFields: [MetadataField.CREATED_AT] }))
      .toEqual({ key: 'e1', value: { surname: 'Davis', age: 30, salary: 1000, active: true, tags: { any: ['thing'] } }, createdAt: T0_SECONDS });
    await kvs.entity('employee').delete('e1');
    expect(await kvs.entity('employee').get('e1')).toBeUndefined();
    expect(service.stats()).toEqual({ keys: 0, entities: 0, secrets: 0 });
  });

  it('queries an index by partition with a range condition, filters, DESC sort and cursor paging', async () => {
    await seedEmployees();
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      let q = kvs.entity<Employee>('employee').query().index('by-team-age', { partition: ['red'] })
        .where(WhereConditions.between(24, 40))
        .filters(new Filter<Employee>().and('active', FilterConditions.equalTo(true)))
        .sort(Sort.DESC)
        .limit(4);
      if (cursor) q = q.cursor(cursor);
      const { results, nextCursor } = await q.getMany();
      pages.push(results.map((r) => `${r.key}:${(r.value as Employee).age}`));
      cursor = nextCursor;
    } while (cursor);
    // red team = even i; ages 24..40 → i 4..20; active drops i = 6, 12, 18.
    expect(pages).toEqual([['emp-20:40', 'emp-16:36', 'emp-14:34', 'emp-10:30'], ['emp-08:28', 'emp-04:24']]);

    const asc = await kvs.entity<Employee>('employee').query().index('by-team-age', { partition: ['blue'] })
      .where(WhereConditions.greaterThan(45)).getMany();
    expect(asc.results.map((r) => r.key)).toEqual(['emp-27', 'emp-29']);
    expect(asc.nextCursor).toBeUndefined();
  });

  it('evaluates every filter condition and "or" filters', async () => {
    await seedEmployees();
    type FilterArg = Parameters<ReturnType<ReturnType<ReturnType<typeof kvs.entity<Employee>>['query']>['index']>['filters']>[0];
    const keys = async (filter: FilterArg) =>
      (await kvs.entity<Employee>('employee').query().index('by-team-age', { partition: ['red'] }).where(WhereConditions.lessThanEqualTo(30))
        .filters(filter).getMany()).results.map((r) => r.key);
    // red team with age ≤ 30: i = 0, 2, 4, 6, 8, 10
    expect(await keys(new Filter<Employee>().and('tags', FilterConditions.contains('lead')))).toEqual(['emp-00', 'emp-04', 'emp-08']);
    expect(await keys(new Filter<Employee>().and('tags', FilterConditions.notContains('lead')))).toEqual(['emp-02', 'emp-06', 'emp-10']);
    expect(await keys(new Filter<Employee>().and('tags', FilterConditions.exists()))).toEqual(['emp-00', 'emp-04', 'emp-08']);
    expect(await keys(new Filter<Employee>().and('tags', FilterConditions.notExists()))).toEqual(['emp-02', 'emp-06', 'emp-10']);
    expect(await keys(new Filter<Employee>().and('surname', FilterConditions.beginsWith('Smith')))).toEqual(['emp-00', 'emp-10']);
    expect(await keys(new Filter<Employee>().and('surname', FilterConditions.contains('es2')))).toEqual(['emp-02']);
    expect(await keys(new Filter<Employee>().and('active', FilterConditions.notEqualTo(true)))).toEqual(['emp-00', 'emp-06']);
    expect(await keys(new Filter<Employee>().and('age', FilterConditions.between(22, 26)))).toEqual(['emp-02', 'emp-04', 'emp-06']);
    expect(await keys(new Filter<Employee>().and('age', FilterConditions.greaterThan(26)).and('age', FilterConditions.lessThan(30)))).toEqual(['emp-08']);
    expect(await keys(new Filter<Employee>().and('age', FilterConditions.greaterThanEqualTo(28)))).toEqual(['emp-08', 'emp-10']);
    expect(await keys(new Filter<Employee>().or('surname', FilterConditions.equalTo('Jones2')).or('age', FilterConditions.equalTo(30)))).toEqual(['emp-02', 'emp-10']);

    // A string index: range = the attribute, no partition; sorted by value.
    const bySurname = await kvs.entity<Employee>('employee').query().index('surname').where(WhereConditions.beginsWith('Smith')).getMany();
    expect(bySurname.results.map((r) => (r.value as Employee).surname)).toEqual(['Smith0', 'Smith10', 'Smith15', 'Smith20', 'Smith25', 'Smith5']);
  });

  it('refuses values that do not match the definition with 400 INVALID_ENTITY_VALUE, unknown entities and indexes too', async () => {
    const wrongType = await apiError(kvs.entity<Employee>('employee').set('e1', { surname: 'Davis', age: 'thirty' as unknown as number }));
    expect(wrongType.code).toBe('INVALID_ENTITY_VALUE');
    expect(wrongType.responseDetails.status).toBe(400);
    expect(wrongType.message).toBe('Attribute \'age\' of entity \'employee\' must be of type integer, got string "thirty"');
    expect((await apiError(kvs.entity<Employee>('employee').set('e1', { age: 30.5 }))).message).toContain('must be of type integer');
    expect((await apiError(kvs.entity<Employee>('employee').set('e1', { active: 'yes' as unknown as boolean }))).code).toBe('INVALID_ENTITY_VALUE');
    const undeclared = await apiError(kvs.entity('employee').set('e1', { nickname: 'D' }));
    expect(undeclared.message).toBe('Attribute \'nickname\' is not declared for entity \'employee\' in manifest.yml');
    expect((await apiError(kvs.entity('employee').set('e1', ['not', 'an', 'object']))).code).toBe('INVALID_ENTITY_VALUE');
    await kvs.entity<Employee>('employee').set('e1', { salary: 1000 }); // an integer is a valid float
    expect(await kvs.entity<Employee>('employee').get('e1')).toEqual({ salary: 1000 });

    const unknownEntity = await apiError(kvs.entity('nope-entity').set('x', { a: 1 }));
    expect(unknownEntity.code).toBe('INVALID_ENTITY_TYPE');
    expect(unknownEntity.message).toContain('not defined in manifest.yml');
    expect((await apiError(kvs.entity('nope-entity').get('x'))).code).toBe('INVALID_ENTITY_TYPE');
    expect((await apiError(kvs.entity('employee').query().index('by-age').getMany())).code).toBe('INVALID_ENTITY_INDEX');
    expect((await apiError(kvs.entity('employee').query().index('by-team-age').getMany())).code).toBe('BAD_REQUEST'); // partition missing
    expect((await apiError(kvs.entity('employee').query().index('surname').limit(101).getMany())).code).toBe('COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE');
    expect((await apiError(kvs.entity<Employee>('employee').query().index('surname').filters(new Filter<Employee>().and('nickname' as keyof Employee, FilterConditions.exists())).getMany())).code).toBe('BAD_REQUEST');

    const both = await service.handle('/api/v1/entity/query', { entityName: 'employee', indexName: 'surname', filters: { and: [{ property: 'age', condition: 'EXISTS', values: [true] }], or: [{ property: 'age', condition: 'EXISTS', values: [true] }] } });
    expect(both).toMatchObject({ status: 400, body: { code: 'INVALID_FILTER_OPERATORS_COMBINATION' } });
    const between = await service.handle('/api/v1/entity/query', { entityName: 'employee', indexName: 'surname', range: { condition: 'BETWEEN', values: ['a'] } });
    expect(between).toMatchObject({ status: 400, body: { code: 'INSUFFICIENT_FILTER_VALUES' } });
    expect(service.stats().entities).toBe(1);
  });
});

describe('transactions', () => {
  it('applies sets, deletes and passing checks together', async () => {
    await kvs.entity<Employee>('employee').set('e1', { surname: 'Smith', version: 3 });
    await kvs.set('old', 'x');
    await kvs.transact()
      .set('new', { n: 1 })
      .set('e2', { surname: 'Scott' }, { entityName: 'employee' })
      .delete('old')
      .delete('never-existed')
      .check('e1', { entityName: 'employee', conditions: new Filter<Employee>().and('version', FilterConditions.equalTo(3)) })
      .execute();
    expect(await kvs.get('new')).toEqual({ n: 1 });
    expect(await kvs.entity('employee').get('e2')).toEqual({ surname: 'Scott' });
    expect(await kvs.get('old')).toBeUndefined();
  });

  it('writes nothing when a check fails (409 CONDITIONAL_CHECK_FAILED)', async () => {
    await kvs.entity<Employee>('employee').set('e1', { surname: 'Smith', version: 3 });
    await kvs.set('old', 'x');
    const err = await apiError(kvs.transact()
      .set('new', 'value')
      .delete('old')
      .check('e1', { entityName: 'employee', conditions: new Filter<Employee>().and('version', FilterConditions.equalTo(4)) })
      .execute());
    expect(err.code).toBe('CONDITIONAL_CHECK_FAILED');
    expect(err.responseDetails.status).toBe(409);
    expect(err.context).toEqual({ key: 'e1', entityName: 'employee', operation: 'check' });
    expect(await kvs.get('new')).toBeUndefined();
    expect(await kvs.get('old')).toBe('x');

    // A check on an absent item fails too.
    const absent = await apiError(kvs.transact().set('new', 1).check('ghost', { entityName: 'employee', conditions: new Filter<Employee>().and('version', FilterConditions.notExists()) }).execute());
    expect(absent.code).toBe('CONDITIONAL_CHECK_FAILED');
    expect(await kvs.get('new')).toBeUndefined();
  });

  it('enforces the conditions of a conditional set and delete', async () => {
    await kvs.entity<Employee>('employee').set('e1', { surname: 'Smith', version: 1 });
    const failing = await apiError(kvs.transact()
      .set<Employee>('e1', { surname: 'Smith', version: 2 }, { entityName: 'employee', conditions: new Filter<Employee>().and('version', FilterConditions.equalTo(0)) })
      .execute());
    expect(failing.code).toBe('CONDITIONAL_CHECK_FAILED');
    expect(await kvs.entity('employee').get('e1')).toEqual({ surname: 'Smith', version: 1 });

    await kvs.transact()
      .set<Employee>('e1', { surname: 'Smith', version: 2 }, { entityName: 'employee', conditions: new Filter<Employee>().and('version', FilterConditions.equalTo(1)) })
      .set<Employee>('e9', { surname: 'New' }, { entityName: 'employee', conditions: new Filter<Employee>().and('surname', FilterConditions.notExists()) })
      .execute();
    expect(await kvs.entity('employee').get('e1')).toEqual({ surname: 'Smith', version: 2 });
    expect(await kvs.entity('employee').get('e9')).toEqual({ surname: 'New' });

    await kvs.transact().delete('e9', { entityName: 'employee', conditions: new Filter<Employee>().and('surname', FilterConditions.beginsWith('N')) }).execute();
    expect(await kvs.entity('employee').get('e9')).toBeUndefined();
  });

  it('refuses more than 25 operations and a key used twice, writing nothing', async () => {
    let tx = kvs.transact();
    for (let i = 0; i < 26; i++) tx = tx.set(`k${i}`, i);
    const tooMany = await apiError(tx.execute());
    expect(tooMany.code).toBe('TOO_MANY_OPERATIONS');
    expect(tooMany.responseDetails.status).toBe(400);
    expect(await kvs.get('k0')).toBeUndefined();

    let ok = kvs.transact();
    for (let i = 0; i < 25; i++) ok = ok.set(`k${i}`, i);
    await ok.execute();
    expect(await kvs.get('k24')).toBe(24);

    const dup = await apiError(kvs.transact().set('a', 1).delete('a').execute());
    expect(dup.code).toBe('DUPLICATE_KEY');
    expect(await kvs.get('a')).toBeUndefined();

    const invalid = await apiError(kvs.transact().set('fine', 1).set('bad/key', 2).execute());
    expect(invalid.code).toBe('INVALID_KEY');
    expect(await kvs.get('fine')).toBeUndefined();
  });
});

describe('batch operations', () => {
  it('reports successfulKeys and failedKeys per item', async () => {
    const set = await kvs.batchSet<unknown>([
      { key: 'b1', value: 1 },
      { key: 'b2', value: 'two', options: { ttl: { value: 1, unit: 'HOURS' } } },
      { key: 'e9', value: { surname: 'X' }, entityName: 'employee' },
      { key: 'bad key!', value: 1 },
      { key: 'e10', value: { age: 'old' }, entityName: 'employee' },
    ]);
    expect(set.successfulKeys).toEqual([{ key: 'b1' }, { key: 'b2' }, { key: 'e9', entityName: 'employee' }]);
    expect(set.failedKeys).toEqual([
      { key: 'bad key!', error: { code: 'INVALID_KEY', message: expect.stringContaining('does not match') } },
      { key: 'e10', entityName: 'employee', error: { code: 'INVALID_ENTITY_VALUE', message: expect.stringContaining("'age'") } },
    ]);

    const got = await kvs.batchGet([{ key: 'b1' }, { key: 'missing' }, { key: 'e9', entityName: 'employee' }, { key: 'b2', options: { metadataFields: [MetadataField.EXPIRE_TIME] } }]);
    expect(got).toEqual({
      successfulKeys: [
        { key: 'b1', value: 1 },
        { key: 'e9', entityName: 'employee', value: { surname: 'X' } },
        { key: 'b2', value: 'two', expireTime: '2026-01-01T13:00:00Z' },
      ],
      failedKeys: [{ key: 'missing', error: { code: 'KEY_NOT_FOUND', message: 'Provided key does not exist' } }],
    });

    const deleted = await kvs.batchDelete([{ key: 'b1' }, { key: 'e9', entityName: 'employee' }, { key: 'missing' }]);
    expect(deleted).toEqual({
      successfulKeys: [{ key: 'b1' }, { key: 'e9', entityName: 'employee' }],
      failedKeys: [{ key: 'missing', error: { code: 'KEY_NOT_FOUND', message: 'Provided key does not exist' } }],
    });
    expect(service.stats()).toEqual({ keys: 1, entities: 0, secrets: 0 });
  });

  it('fails entirely when empty, over 25 keys or repeating a key', async () => {
    expect((await apiError(kvs.batchSet([]))).code).toBe('BAD_REQUEST');
    const items = Array.from({ length: 26 }, (_, i) => ({ key: `k${i}`, value: i }));
    expect((await apiError(kvs.batchSet(items))).code).toBe('TOO_MANY_OPERATIONS');
    expect((await apiError(kvs.batchSet([{ key: 'a', value: 1 }, { key: 'a', value: 2 }]))).code).toBe('DUPLICATE_KEY');
    // The same key in two namespaces is two different items.
    expect((await kvs.batchSet<unknown>([{ key: 'a', value: 1 }, { key: 'a', value: { surname: 'A' }, entityName: 'employee' }])).failedKeys).toEqual([]);
    expect(service.stats()).toEqual({ keys: 1, entities: 1, secrets: 0 });
  });
});

describe('limits', () => {
  it('refuses bad keys with ForgeKvsAPIError 400 codes', async () => {
    const tooLong = await apiError(kvs.set('k'.repeat(501), 1));
    expect(tooLong.code).toBe('KEY_TOO_LONG');
    expect(tooLong.responseDetails.status).toBe(400);
    await kvs.set('k'.repeat(500), 1);
    expect(await kvs.get('k'.repeat(500))).toBe(1);

    expect((await apiError(kvs.set('a/b', 1))).code).toBe('INVALID_KEY');
    expect((await apiError(kvs.set('ü', 1))).code).toBe('INVALID_KEY');
    expect((await apiError(kvs.set('   ', 1))).code).toBe('INVALID_KEY');
    expect((await apiError(kvs.set('', 1))).code).toBe('KEY_TOO_SHORT');
    expect((await apiError(kvs.entity('employee').set('', { age: 1 }))).code).toBe('EMPTY_KEY');
    expect((await apiError(kvs.get('a/b'))).code).toBe('INVALID_KEY');
    await kvs.set('Ab9:._- #x', 'every allowed character class');
    expect(await kvs.get('Ab9:._- #x')).toBe('every allowed character class');
  });

  it('refuses values over 240 KiB (MAX_SIZE) and deeper than 31 levels (MAX_DEPTH)', async () => {
    const limit = 240 * 1024;
    await kvs.set('big', 'x'.repeat(limit - 2)); // exactly 240 KiB once serialized with its quotes
    expect(((await kvs.get('big')) as string).length).toBe(limit - 2);
    const tooBig = await apiError(kvs.set('big', 'x'.repeat(limit - 1)));
    expect(tooBig.code).toBe('MAX_SIZE');
    expect(tooBig.responseDetails.status).toBe(400);
    expect(((await kvs.get('big')) as string).length).toBe(limit - 2);

    const nest = (depth: number) => {
      let v: unknown = {};
      for (let i = 1; i < depth; i++) v = { a: v };
      return v;
    };
    await kvs.set('deep', nest(31));
    expect(await kvs.get('deep')).toEqual(nest(31));
    const tooDeep = await apiError(kvs.set('deeper', nest(32)));
    expect(tooDeep.code).toBe('MAX_DEPTH');
    expect((await apiError(kvs.setSecret('deeper', [nest(31)]))).code).toBe('MAX_DEPTH');
    expect(await kvs.get('deeper')).toBeUndefined();
  });
});

describe('persistence', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-service-'));
    file = path.join(dir, 'state', 'kvs.json');
    service = new KvsService({ file, entities, now: () => clock });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('survives a new KvsService on the same file, leaving no temp file behind', async () => {
    await kvs.set('plain', { a: 1 });
    await kvs.set('__proto__', 'tricky key');
    await kvs.setSecret('secret', 'shh');
    await kvs.entity<Employee>('employee').set('e1', { surname: 'Davis', age: 30, team: 'red' });
    await kvs.set('short-lived', 1, { ttl: { value: 10, unit: 'SECONDS' } });
    // A snapshot and the journal of the writes since; no temporary file.
    expect(fs.readdirSync(path.dirname(file))).toEqual(['kvs.json', 'kvs.json.journal']);
    expect(() => JSON.parse(fs.readFileSync(file, 'utf8'))).not.toThrow();
    expect(fs.readFileSync(`${file}.journal`, 'utf8').trim().split('\n')).toHaveLength(4);

    clock = T0 + 10_000;
    service = new KvsService({ file, entities, now: () => clock });
    expect(await kvs.get('plain')).toEqual({ a: 1 });
    expect(await kvs.get('__proto__')).toBe('tricky key');
    expect(await kvs.getSecret('secret')).toBe('shh');
    expect(await kvs.entity('employee').get('e1')).toEqual({ surname: 'Davis', age: 30, team: 'red' });
    expect(await kvs.get('short-lived')).toBeUndefined();
    expect((await kvs.entity('employee').query().index('by-team-age', { partition: ['red'] }).getMany()).results.map((r) => r.key)).toEqual(['e1']);
    expect(service.stats()).toEqual({ keys: 2, entities: 1, secrets: 1 });
    // Opening replayed the journal into a new snapshot; closing leaves the snapshot alone.
    service.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['kvs.json']);
  });

  it('journals one line per successful write (a transaction is one line) and none for a refused one', async () => {
    await kvs.set('first', 0); // a new store's first write creates its snapshot
    const append = jest.spyOn(Journal.prototype, 'append');
    await kvs.set('a', 1);
    expect(append).toHaveBeenCalledTimes(1);
    await kvs.transact().set('b', 2).set('c', 3).delete('a').execute();
    expect(append).toHaveBeenCalledTimes(2);
    expect(JSON.parse(append.mock.calls[1][0]).map((c: unknown[]) => c.slice(0, 2))).toEqual([['k', 'b'], ['k', 'c'], ['k', 'a']]);
    const before = fs.readFileSync(`${file}.journal`, 'utf8');
    await apiError(kvs.set('bad/key', 1));
    await apiError(kvs.transact().set('d', 4).check('zz', { entityName: 'employee', conditions: new Filter<Employee>().and('age', FilterConditions.exists()) }).execute());
    await kvs.get('b');
    expect(append).toHaveBeenCalledTimes(2);
    expect(fs.readFileSync(`${file}.journal`, 'utf8')).toBe(before);
  });

  it('leaves the files and memory intact when a save fails midway', async () => {
    await kvs.set('a', 'old');
    await kvs.set('z', 'journalled');
    const before = [fs.readFileSync(file, 'utf8'), fs.readFileSync(`${file}.journal`, 'utf8')];
    jest.spyOn(fs, 'writeSync').mockImplementationOnce(() => {
      throw new Error('disk full');
    });
    const err = await apiError(kvs.transact().set('a', 'new').set('b', 'new').execute());
    expect(err.code).toBe('INTERNAL_SERVER_ERROR');
    expect(err.responseDetails.status).toBe(500);
    expect([fs.readFileSync(file, 'utf8'), fs.readFileSync(`${file}.journal`, 'utf8')]).toEqual(before);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['kvs.json', 'kvs.json.journal']);
    expect(await kvs.get('a')).toBe('old');
    expect(await kvs.get('b')).toBeUndefined();
    service = new KvsService({ file, entities, now: () => clock });
    expect([await kvs.get('a'), await kvs.get('b'), await kvs.get('z')]).toEqual(['old', undefined, 'journalled']);
  });

  it('reset empties every namespace and removes the file', async () => {
    await kvs.set('a', 1);
    await kvs.setSecret('s', 1);
    await kvs.entity('continuity-plan').set('p1', { serviceId: 's1', title: 'Plan' });
    expect(service.stats()).toEqual({ keys: 1, entities: 1, secrets: 1 });
    service.reset();
    expect(service.stats()).toEqual({ keys: 0, entities: 0, secrets: 0 });
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.journal`)).toBe(false);
    service = new KvsService({ file, entities, now: () => clock });
    expect(await kvs.get('a')).toBeUndefined();
    expect(await kvs.entity('continuity-plan').get('p1')).toBeUndefined();
  });
});

describe('definitions', () => {
  it('rejects an index over an undeclared attribute at construction', () => {
    expect(() => new KvsService({ entities: [{ name: 'thing', attributes: { a: { type: 'string' } }, indexes: [{ name: 'by-b', range: ['b'] }] }] }))
      .toThrow("Entity 'thing', index 'by-b': 'b' is not an attribute of the entity");
    expect(() => new KvsService({ entities: [{ name: 'Bad_Name', attributes: {} }] })).toThrow('Invalid custom entity name');
  });
});
