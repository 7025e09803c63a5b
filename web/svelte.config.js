import adapter from "@sveltejs/adapter-cloudflare";

// Built with `npm run build:web` (runs `vite build` with web/ as the working
// directory: SvelteKit resolves this file and src/ from process.cwd()).
// Output: web/.svelte-kit/cloudflare/_worker.js + static files, imported by
// worker/src/control-plane/web-ui.ts and served through the platform Worker's ASSETS binding.

/** @type {import("@sveltejs/kit").Config} */
const config = {
  kit: {
    // The API's JSON as the worker defines it (types only, plus the `as const` lists such as the build's steps), and
    // the worker's core names (cookies): the web UI imports them instead of keeping copies that could drift.
    alias: {
      $shapes: "../worker/src/core/api-shapes",
      "$kiln-core": "../worker/src/core",
    },
    adapter: adapter({
      // The adapter reads a Wrangler config to decide where to write. It must NOT
      // read ../wrangler.jsonc: its `main` (the platform Worker) would be
      // overwritten with SvelteKit's worker. This file exists only for the adapter.
      config: "adapter.wrangler.jsonc",
      platformProxy: { configPath: "adapter.wrangler.jsonc" },
    }),
    csp: {
      mode: "auto",
      directives: {
        "default-src": ["self"],
        "script-src": ["self"],
        "style-src": ["self"],
        // SvelteKit's route announcer (for screen readers) hides itself with a style
        // attribute. Attributes cannot load or select anything, so this stays narrow.
        "style-src-attr": ["unsafe-inline"],
        "img-src": ["self", "data:"],
        "connect-src": ["self"],
        "form-action": ["self"],
        "base-uri": ["none"],
        "object-src": ["none"],
        "frame-ancestors": ["none"],
      },
    },
  },
};

export default config;
