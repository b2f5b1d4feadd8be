// JSON calls of the map. A failed call throws ApiError carrying the problem document's detail when the server sent one.

export class ApiError extends Error {
  // retryAfter: seconds from the Retry-After header of a 429 (rate limit) or 503, else null.
  constructor(status, detail, retryAfter = null) {
    super(detail ?? `Request failed (${status})`);
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

export async function getJson(path, params, signal) {
  const query = params && params.toString() !== '' ? `?${params}` : '';
  const response = await fetch(`${path}${query}`, { signal, headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    throw new ApiError(response.status, problem?.detail ?? problem?.title ?? null, Number.isFinite(retryAfter) ? retryAfter : null);
  }
  return response.json();
}

export const isAbort = (error) => error?.name === 'AbortError';
