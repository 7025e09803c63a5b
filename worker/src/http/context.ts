import type { Env } from "../core/env";
import type { AppRecord, CurrentUser } from "../core/records";

/** Hono generics shared by every platform route. */
export interface PlatformContext {
  Bindings: Env;
  Variables: {
    user: CurrentUser;
    /** Set by the app-ownership middleware on `/api/apps/:id/*`. */
    app: AppRecord;
    requestId: string;
  };
}
