import type { ErrorCode } from "./api-shapes/common";
import type { Diagnostic, DeployStage } from "./api-shapes/versions";
export type { Diagnostic, DeployStage };
export type { ErrorCode };

/** The HTTP statuses Kiln answers errors with (plain numbers: core knows no HTTP framework). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 502 | 503;

/** An error the API reports to its caller as-is; anything else becomes a 500. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: ErrorStatus,
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
