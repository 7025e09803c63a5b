// `/api/connections`: the owner's credentials for outside services, as the API shows them (never a secret).

import type { ConnectorId } from "../../../../connectors/types";

/** The services an app owner can connect: the connectors Kiln ships (connectors/types.ts). */
export type { ConnectorId };

/** How the owner proves who they are to the service. */
export type CredentialKind = "api_key" | "oauth2";

/** `needs_reconnect`: the service stopped accepting the stored credential; `statusMessage` says what to do. */
export type ConnectionStatus = "connected" | "needs_reconnect";

/** One of the owner's connections, as `GET /api/connections` shows it: never a secret. */
export interface Connection {
  id: string;
  connector: ConnectorId;
  label: string;
  kind: CredentialKind;
  status: ConnectionStatus;
  /** What the owner should do, when status is needs_reconnect. */
  statusMessage: string | null;
  /** Backed by Kiln's simulated service (demo mode), not a real account. */
  demo: boolean;
  /** The key's last 4 characters (Stripe, Airtable); null for Google. */
  last4: string | null;
  /** The Google account's email; null for key-based services. */
  account: string | null;
  scopes: string[] | null;
  accessTokenExpiresAt: string | null;
  lastCheckedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A service this Kiln offers, and whether it (or a demo of it) can be connected right now. */
export interface ConnectorOption {
  id: ConnectorId;
  label: string;
  kind: CredentialKind;
  /** False when this Kiln is not set up for it (Google without an OAuth client). */
  available: boolean;
  /** Offered only in demo mode (`KILN_DEMO_CONNECTIONS=1` with the local fakes running). */
  demoAvailable: boolean;
}

/** `GET /api/connections`. */
export interface ConnectionsOverview {
  connections: Connection[];
  connectors: ConnectorOption[];
}

/** What testing a connection showed, in words for the owner. */
export interface ConnectionTestResult {
  ok: boolean;
  message: string;
}

/** `POST /api/connections/:id/test`. */
export interface ConnectionTested {
  connection: Connection;
  result: ConnectionTestResult;
}
