/** Small helpers shared by the route modules. */
import { badRequest } from '../errors';
import type { ProductResponse } from '../../types';

export const ok = (body: unknown, status = 200): ProductResponse => ({ status, body });
export const noContent = (): ProductResponse => ({ status: 204 });

/** An integer query parameter (Jira answers 400 for a non-number). */
export function intParam(query: URLSearchParams, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw badRequest(`The value '${raw}' of the parameter '${name}' is not a valid number.`);
  return Math.min(max, Math.max(min, n));
}

/** Comma-separated and repeated list parameters (`fields=a,b&fields=c`). */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const all = query.getAll(name);
  if (!all.length) return undefined;
  return all.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Jira's `PageBean` shape: `{ self, nextPage?, maxResults, startAt, total, isLast, values }`. */
export function pageBean<T>(items: T[], startAt: number, maxResults: number, selfUrl: string): Record<string, unknown> {
  const values = items.slice(startAt, startAt + maxResults);
  const isLast = startAt + values.length >= items.length;
  const url = new URL(selfUrl);
  url.searchParams.set('startAt', String(startAt));
  url.searchParams.set('maxResults', String(maxResults));
  const out: Record<string, unknown> = { self: url.toString(), maxResults, startAt, total: items.length, isLast, values };
  if (!isLast) {
    const next = new URL(selfUrl);
    next.searchParams.set('startAt', String(startAt + maxResults));
    next.searchParams.set('maxResults', String(maxResults));
    out.nextPage = next.toString();
  }
  return out;
}

/** Own-key test that is safe for keys such as `constructor` or `__proto__`. */
export function hasOwn(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Stores `obj[key] = value` as a plain own property, even for `__proto__`. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
