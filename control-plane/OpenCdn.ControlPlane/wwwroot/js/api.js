// The control plane's HTTP API as the pages use it: sign-in, the bearer token (kept for this tab only), JSON calls
// that turn ProblemDetails into readable errors.

const tokenKey = 'opencdn.session';

/** The signed-in user of this tab: { accessToken, expiresAt, roles, username } or null. */
export function currentUser() {
  const saved = sessionStorage.getItem(tokenKey);
  if (!saved) return null;
  const user = JSON.parse(saved);
  return new Date(user.expiresAt) > new Date() ? user : null;
}

export async function signIn(username, password) {
  const response = await fetch('/api/v1/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw await problem(response);
  const token = await response.json();
  const user = { ...token, username };
  sessionStorage.setItem(tokenKey, JSON.stringify(user));
  return user;
}

export function signOut() {
  sessionStorage.removeItem(tokenKey);
}

/** Calls the API with the user's token; returns parsed JSON, text, or null for an empty answer. Throws ApiError. */
export async function call(path, { method = 'GET', body, accept = 'application/json' } = {}) {
  const headers = { accept };
  const user = currentUser();
  if (user) headers.authorization = `Bearer ${user.accessToken}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw await problem(response);
  if (response.status === 204 || response.status === 202) return null;
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

export function authorizationHeader() {
  const user = currentUser();
  return user ? { Authorization: `Bearer ${user.accessToken}` } : {};
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function problem(response) {
  let detail = response.statusText;
  try {
    const body = await response.json();
    detail = body.detail ?? body.title ?? detail;
    if (body.errors) detail += ': ' + Object.values(body.errors).flat().join(' ');
  } catch {
    // not ProblemDetails: keep the status text
  }
  return new ApiError(response.status, `${response.status} ${detail}`);
}
