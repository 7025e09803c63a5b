import type { ContentfulStatusCode } from "hono/utils/http-status";

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
  | "destructive_change"
  | "payload_too_large"
  | "upstream_failed"
  | "too_many_requests"
  | "internal";

/** One actionable problem in uploaded code, in editor coordinates (1-based). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** An error the API reports to its caller as-is; anything else becomes a 500. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    /** Extra fields merged into the response body next to `error`. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** 404 in the words the API uses for anything the caller may not see. */
export class NotFoundError extends ApiError {
  constructor(what: string) {
    super(404, "not_found", `${what} was not found.`);
  }
}

/** 422 for code that does not type-check, bundle or start; carries the diagnostics. */
/** The steps from source to preview, in the order they run (deploy-source.ts). */
export type DeployStage = "files" | "type-check" | "bundle" | "start" | "smoke-test" | "checks" | "migration";

export class BuildFailedError extends ApiError {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[],
    /** The step that failed, so callers (the chat) need not read it from the message. */
    readonly stage: DeployStage = "start",
  ) {
    super(422, "build_failed", message, { diagnostics, stage });
  }
}
