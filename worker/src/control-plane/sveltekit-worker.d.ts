import type { WebUiEnv } from "./web-ui";

/** web/.svelte-kit/cloudflare/_worker.js, as written by @sveltejs/adapter-cloudflare. */
declare const sveltekit: {
  fetch(request: Request, env: WebUiEnv, ctx: ExecutionContext): Promise<Response>;
};
export default sveltekit;
