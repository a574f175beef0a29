/**
 * Why a request failed, in one line a user can act on. Messages name the
 * host, never the full URL: feed URLs and query strings often carry tokens.
 */
export type HttpFailureKind =
  | 'status'
  | 'auth'
  | 'not-found'
  | 'rate-limited'
  | 'timeout'
  | 'network'
  | 'dns'
  | 'refused'
  | 'too-large'
  | 'redirects'
  | 'decode';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
    readonly host: string,
    readonly status: number | null = null,
    /** Seconds the server asked us to wait (Retry-After), when it said. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  /**
   * The start of an error response's body (APIs explain 4xx in JSON: YouTube's
   * quotaExceeded, GitHub's messages), for the source adapter to read. Never
   * printed as is: it may echo the request.
   */
  response: { headers: Record<string, string>; body: Uint8Array } | null = null;
}

/** Retrying helps with these; the rest fail the same way again. */
export function isTransient(err: HttpError): boolean {
  return (
    err.kind === 'timeout' ||
    err.kind === 'network' ||
    err.kind === 'rate-limited' ||
    (err.kind === 'status' && err.status !== null && err.status >= 500)
  );
}

export function statusError(status: number, host: string, authHint: string | null, retryAfter: number | null = null): HttpError {
  if (status === 401 || status === 403) {
    const hint = authHint ? `: check ${authHint}` : ': check the token or credentials for this source';
    return new HttpError('auth', `HTTP ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'} from ${host}${hint}`, host, status);
  }
  if (status === 404 || status === 410) {
    return new HttpError('not-found', `HTTP ${status} from ${host}: the URL is wrong or the resource is gone`, host, status);
  }
  if (status === 429) return new HttpError('rate-limited', `HTTP 429 Too Many Requests from ${host}`, host, status, retryAfter);
  return new HttpError('status', `HTTP ${status} from ${host}`, host, status, retryAfter);
}

/** Maps undici/Node network errors to a kind and a plain sentence. */
export function networkError(err: unknown, host: string): HttpError {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new HttpError('dns', `cannot resolve host ${host} (DNS lookup failed)`, host);
    case 'ECONNREFUSED':
      return new HttpError('refused', `connection refused by ${host}`, host);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new HttpError('timeout', `${host} did not answer in time (headers timeout)`, host);
    case 'UND_ERR_BODY_TIMEOUT':
      return new HttpError('timeout', `${host} stopped sending the response (body timeout)`, host);
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new HttpError('timeout', `connecting to ${host} timed out`, host);
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_CLOSED':
      return new HttpError('network', `connection to ${host} was cut off before the response was complete`, host);
    default:
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        return new HttpError('timeout', `request to ${host} took too long and was abandoned`, host);
      }
      return new HttpError('network', `network error talking to ${host}: ${code || e.message || String(err)}`, host);
  }
}
