// The built SvelteKit worker (npm run build:web). This one-line module exists so
// TypeScript reads its types from sveltekit-worker.d.ts beside it: the build
// output itself is gitignored and absent until the web UI has been built.
export { default } from "../../../web/.svelte-kit/cloudflare/_worker.js";
