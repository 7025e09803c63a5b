// `/api/auth/*`, `/api/tokens` and `/api/oauth/grants`.

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

/**
 * An MCP client the owner let act as them through OAuth (`GET /api/oauth/grants` → `{ grants }`): listed so they can
 * revoke it (`DELETE /api/oauth/grants/:id`); it ends by itself at `expiresAt`.
 */
export interface McpGrant {
  id: string;
  clientName: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
}
