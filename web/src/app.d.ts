import type { User } from "$shapes";

/** In-process handle on the platform's Hono API, passed in by worker/src/control-plane/web-ui.ts. */
interface KilnApi {
  fetch(request: Request): Promise<Response>;
}

declare global {
  namespace App {
    interface Error {
      message: string;
      code?: string;
    }
    interface Locals {
      /** The signed-in person, resolved once per request in hooks.server.ts. */
      user: User | null;
      /** Set-Cookie headers from API responses, passed on to the browser by hooks.server.ts. */
      apiSetCookies: string[];
    }
    interface Platform {
      env: {
        KILN_API: KilnApi;
        /** Where apps are served (`<slug>.<APPS_DOMAIN>`): the preview tab frames them. */
        APPS_DOMAIN?: string;
        APPS_SCHEME?: string;
      };
    }
  }
}
