import type { Env } from "../core/env";

/** The signed-in person, as every authenticated route sees them. */
export interface CurrentUser {
  id: string;
  email: string;
}

/** An app record as the platform keeps it in D1. */
export interface AppRecord {
  id: string;
  ownerId: string;
  name: string;
  slug: string;
  previewVersion: string | null;
  liveVersion: string | null;
  createdAt: string;
}

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
