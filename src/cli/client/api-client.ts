import { CliError, EXIT, exitCodeForStatus } from '../exit-codes';
import type { Connection } from './config';

/** One problem of a field, as the API reports refused input. */
export interface FieldError {
  field: string;
  errors: string[];
}

/** The API answered with an error: `{ statusCode, code, message, errors? }`. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fields: FieldError[] = [],
    hint?: string,
  ) {
    // With per-field errors the API's message repeats them all on one line: list them instead.
    const headline = fields.length ? 'the server refused the request' : (hint ?? detail);
    super(
      [`${headline} (${code})`, ...fields.map((f) => `  ${f.field}: ${f.errors.join('; ')}`)].join(
        '\n',
      ),
      exitCodeForStatus(status),
    );
  }
}

type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Statuses that carry an answer rather than an error (readiness answers 503 with a body). */
  accept?: readonly number[];
}

/** How long a request may take; a dry run over a long history is the slowest. */
const TIMEOUT_MS = 120_000;

/** Why a connection failed, in words, from the error Node's fetch gives. */
function networkReason(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'connection timed out';
  return e?.cause?.message ?? (err as Error)?.message ?? String(err);
}

/**
 * A small client of the REST API (/api/v1) on Node's own fetch: JSON in and out, the bearer
 * token when there is one, and every failure turned into an error that ends the command
 * with one clear line and the right exit code.
 */
export class ApiClient {
  constructor(
    readonly connection: Connection,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  get url(): string {
    return this.connection.url;
  }

  get<T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query' | 'body'> = {}) {
    return this.request<T>('GET', path, { ...opts, query });
  }

  post<T>(path: string, body?: unknown) {
    return this.request<T>('POST', path, { body });
  }

  patch<T>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, { body });
  }

  delete<T>(path: string, body?: unknown) {
    return this.request<T>('DELETE', path, { body });
  }

  /** A binary answer (a QR code PNG); errors as for JSON requests. */
  async bytes(path: string): Promise<Buffer> {
    const res = await this.send('GET', path, {}, 'image/*');
    if (!res.ok) throw this.errorOf(res.status, parseJson(await res.text()));
    return Buffer.from(await res.arrayBuffer());
  }

  private async send(
    method: string,
    path: string,
    opts: RequestOptions,
    accept: string,
  ): Promise<Response> {
    const url = new URL(this.connection.url + path);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value === undefined) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const headers: Record<string, string> = { accept };
    if (this.connection.token) headers.authorization = `Bearer ${this.connection.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetchImpl(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new CliError(
        `cannot reach ${this.connection.url}: ${networkReason(err)}; is the service running?`,
        EXIT.SERVER,
      );
    }
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, opts, 'application/json');
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const body = parseJson(text);
    if (res.ok || opts.accept?.includes(res.status)) {
      if (body === undefined)
        throw new CliError(
          `${this.connection.url} did not answer as the Accolades API (HTTP ${res.status}, ${res.headers.get('content-type') ?? 'no content type'})`,
          EXIT.SERVER,
        );
      return body as T;
    }
    throw this.errorOf(res.status, body);
  }

  private errorOf(status: number, body: unknown): ApiError {
    const b = (body ?? {}) as { code?: string; message?: string; errors?: FieldError[] };
    const code = typeof b.code === 'string' ? b.code : `HTTP.${status}`;
    const detail = typeof b.message === 'string' ? b.message : `HTTP ${status}`;
    return new ApiError(
      status,
      code,
      detail,
      Array.isArray(b.errors) ? b.errors : [],
      this.hint(status, detail),
    );
  }

  /** What to do about it, where the API's own message does not say. */
  private hint(status: number, detail: string): string | undefined {
    if (status === 401 && !this.connection.token)
      return `not logged in to ${this.connection.url}: run accolades login, or set ACCOLADES_TOKEN`;
    if (status === 401)
      return `the token was refused by ${this.connection.url}: ${detail} Run accolades login again.`;
    return undefined;
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A path segment: ids may hold characters that mean something in a URL ("tester-i -> 12"). */
export const seg = (value: string | number) => encodeURIComponent(String(value));
