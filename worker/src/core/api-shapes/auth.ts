// `/api/auth/*` and `/api/tokens`.

/** The signed-in person (`GET /api/auth/me` → `{ user }`, and every authenticated route's caller). */
export interface User {
  id: string;
  email: string;
}

/** A bearer token as listed to its owner (`GET /api/tokens` → `{ tokens }`): never the token itself. */
export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** `POST /api/tokens`: the token, shown this once. */
export interface CreatedApiToken extends ApiToken {
  token: string;
}
