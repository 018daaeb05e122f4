import autocannon from 'autocannon';

export interface LoadResult {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

/**
 * Closed-loop load on one endpoint family: `connections` clients, each sending its next
 * request when the previous one answered, with paths drawn from `paths`.
 */
export async function load(opts: {
  name: string;
  url: string;
  paths: () => string;
  connections?: number;
  durationSeconds?: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections ?? 16,
    duration: opts.durationSeconds ?? 15,
    requests: [{ setupRequest: (req) => ({ ...req, path: opts.paths() }) }],
  });
  return {
    name: opts.name,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function table(rows: LoadResult[]): string {
  const head =
    '| Endpoint | Requests | Req/s | p50 ms | p90 ms | p99 ms | max ms | errors | non-2xx |';
  const sep = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const lines = rows.map(
    (r) =>
      `| ${r.name} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.errors} | ${r.non2xx} |`,
  );
  return [head, sep, ...lines].join('\n');
}
