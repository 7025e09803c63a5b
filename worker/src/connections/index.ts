// What the rest of the platform uses from connections: the credential lookups the egress proxy makes for an
// app's outbound calls (the API routes live in http/routes/connections.ts).
export {
  ConnectionUnavailableError,
  GOOGLE_RECONNECT_MESSAGE,
  REFRESH_MARGIN_MS,
  accessTokenAfterUnauthorized,
  credentialForOwner,
  freshAccessToken,
  type EgressCredential,
  type UnavailableReason,
} from "./access-tokens";
export { VaultUnavailableError } from "./connection-secrets";
export { CONNECTOR_RULES, upstreamUrl } from "./connector-catalog";
export { redactSecrets } from "./redaction";
export { markKeyRejected } from "./rejected-key";
