import type { Env } from "../core/env";
import sveltekit from "./sveltekit-worker.js";

/** In-process handle on the platform's Hono API (no network hop, same isolate). */
export interface ApiClient {
  fetch(request: Request): Promise<Response>;
}

/** What the SvelteKit worker sees as `platform.env`: the platform's bindings plus the API handle. */
export type WebUiEnv = Env & { KILN_API: ApiClient };

/**
 * Serves the web UI (SvelteKit, built by `npm run build:web` into
 * web/.svelte-kit/cloudflare) for every platform-host request that is not
 * `/api/*`. Static files under `/_app/` and `web/static` are answered from the
 * ASSETS binding by SvelteKit's worker; pages call the API through `api`.
 */
export async function serveWebUi(request: Request, env: Env, ctx: ExecutionContext, api: ApiClient): Promise<Response> {
  if (!env.ASSETS) {
    // SvelteKit's worker would throw on its first static file; say what is missing instead.
    return new Response(
      'The web UI needs the static-assets binding: add "assets": { "directory": "web/.svelte-kit/cloudflare", "binding": "ASSETS", "run_worker_first": true } to wrangler.jsonc.\n',
      { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } },
    );
  }
  return sveltekit.fetch(request, { ...env, KILN_API: api }, ctx);
}
