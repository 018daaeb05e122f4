/**
 * Quantiles of the service's own Prometheus histograms (read from /metrics), interpolated
 * inside a bucket as Prometheus's histogram_quantile does: where a delay goes, inside the
 * service or on the way to and from it.
 */
export type Buckets = Array<{ le: number; count: number }>;

/** The cumulative buckets of one histogram in a /metrics text. */
export function bucketsOf(metricsText: string, name: string): Buckets {
  const buckets: Buckets = [];
  const pattern = new RegExp(`^${name}_bucket\\{(?:.*,)?le="([^"]+)"(?:,.*)?\\} (\\S+)$`);
  for (const line of metricsText.split('\n')) {
    const m = pattern.exec(line);
    if (m) buckets.push({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), count: Number(m[2]) });
  }
  return buckets;
}

/** What was observed between two readings of the same histogram. */
export function bucketsSince(after: Buckets, before: Buckets): Buckets {
  return after.map((b, i) => ({ le: b.le, count: b.count - (before[i]?.count ?? 0) }));
}

export function quantile(buckets: Buckets, q: number): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (!total) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return lower;
      return lower + ((b.le - lower) * (rank - below)) / Math.max(1, b.count - below);
    }
    lower = b.le;
    below = b.count;
  }
  return lower;
}

/** "p50 a ms, p99 b ms (n observations)" of a seconds histogram. */
export function describeSeconds(buckets: Buckets): string {
  const ms = (q: number) => {
    const v = quantile(buckets, q);
    return v === null ? 'n/a' : `${(v * 1000).toFixed(0)} ms`;
  };
  return `p50 ${ms(0.5)}, p99 ${ms(0.99)} (${buckets.at(-1)?.count ?? 0} observed)`;
}
