// Shapes shared by every area of the API's JSON. Types only (and `as const` lists): the web UI compiles these files
// too (web/tsconfig.json, no Workers types), so they import only other plain types (core, connectors/types.ts, the
// kiln SDK's declarations) and use no runtime globals.

/** The two databases and deployment slots every app has. */
export type Environment = "preview" | "live";

/** Machine-readable error codes the API returns in `{ error: { code } }`. */
export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "email_taken"
  | "invalid_credentials"
  | "build_failed"
  | "setup_required"
  | "destructive_change"
  | "payload_too_large"
  | "upstream_failed"
  | "too_many_requests"
  | "internal";

/** `{ ok: true }`: what a delete (and other calls with nothing to report) answers. */
export interface Ok {
  ok: true;
}
