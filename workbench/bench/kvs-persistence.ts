/**
 * Times 5,000 sequential KVS sets (and a batch of concurrent ones) against a store persisted on disk,
 * as `@forge/kvs` sends them. Run with `node scripts/bench-persistence.mjs`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KvsService } from '../storage/kvs-service';

async function time(label: string, n: number, run: (service: KvsService) => Promise<void>): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-bench-'));
  try {
    const service = new KvsService({ file: path.join(dir, 'storage.json'), entities: [] });
    const started = performance.now();
    await run(service);
    const ms = performance.now() - started;
    (service as { close?: () => void }).close?.();
    console.log(`${label}: ${n} sets in ${ms.toFixed(0)} ms (${((ms * 1000) / n).toFixed(0)} µs each)`);
    return ms;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const value = (i: number) => ({ incident: `OPS-${i}`, plan: 'plan-payments', rtoMinutes: 60, openedAt: '2026-11-22T03:00:00Z', checklist: [true, false, false] });

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 5000);
  await time('sequential', n, async (s) => {
    for (let i = 0; i < n; i++) {
      const out = await s.handle('/api/v1/set', { key: `invocation:${i}`, value: value(i) });
      if (out.status !== 204) throw new Error(JSON.stringify(out));
    }
  });
  await time('50 concurrent writers', n, async (s) => {
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const i = next++;
        const out = await s.handle('/api/v1/set', { key: `invocation:${i}`, value: value(i) });
        if (out.status !== 204) throw new Error(JSON.stringify(out));
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
  });
}

void main();
