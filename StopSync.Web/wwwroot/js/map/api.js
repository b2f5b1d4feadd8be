// JSON calls of the map. A failed call throws ApiError carrying the problem document's detail when the server sent one.

export class ApiError extends Error {
  // retryAfter: seconds from the Retry-After header of a 429 (rate limit) or 503, else null.
  // problem: the whole problem document (title, detail and extensions such as a conflict's `current`), or null.
  constructor(status, detail, retryAfter = null, problem = null) {
    super(detail ?? `Request failed (${status})`);
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
    this.problem = problem;
  }
}

async function failure(response) {
  const problem = await response.json().catch(() => null);
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  return new ApiError(response.status, problem?.detail ?? problem?.title ?? null, Number.isFinite(retryAfter) ? retryAfter : null, problem);
}

export async function getJson(path, params, signal) {
  const query = params && params.toString() !== '' ? `?${params}` : '';
  const response = await fetch(`${path}${query}`, { signal, headers: { Accept: 'application/json' } });
  if (!response.ok) throw await failure(response);
  return response.json();
}

// A write (POST, DELETE) with a JSON body and extra headers (the antiforgery token); same errors as getJson.
export async function sendJson(method, path, body, headers = {}) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await failure(response);
  return response.status === 204 ? null : response.json().catch(() => null);
}

export const isAbort = (error) => error?.name === 'AbortError';
