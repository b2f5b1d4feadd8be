// JSON calls of the map. A failed call throws ApiError carrying the problem document's detail when the server sent one.

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail ?? `Request failed (${status})`);
    this.status = status;
    this.detail = detail;
  }
}

export async function getJson(path, params, signal) {
  const query = params && params.toString() !== '' ? `?${params}` : '';
  const response = await fetch(`${path}${query}`, { signal, headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new ApiError(response.status, problem?.detail ?? problem?.title ?? null);
  }
  return response.json();
}

export const isAbort = (error) => error?.name === 'AbortError';
