import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface CheckResult {
  ok: boolean;
  [detail: string]: unknown;
}

export type ReadinessCheck = () => Promise<CheckResult>;

const TIMEOUT_MS = 2_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * Readiness: the database answers, plus whatever other modules register (the message
 * intake adds its consumer state and lag).
 */
@Injectable()
export class HealthService {
  private readonly checks = new Map<string, ReadinessCheck>();

  constructor(private readonly ds: DataSource) {
    this.register('database', async () => {
      const started = Date.now();
      await this.ds.query('SELECT 1');
      return { ok: true, latency_ms: Date.now() - started };
    });
  }

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async readiness(): Promise<{ ok: boolean; checks: Record<string, CheckResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          return [name, await withTimeout(check(), TIMEOUT_MS)] as const;
        } catch (err) {
          return [name, { ok: false, error: (err as Error).message }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    return { ok: entries.every(([, r]) => r.ok), checks };
  }
}
