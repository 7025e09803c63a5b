import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

// `vite dev` (web UI work without rebuilding Kiln): pages reach the API through
// src/lib/server/api.ts's dev fallback; the browser's own /api calls (chat
// stream, log tail) go through this proxy to the same running Kiln.
const devApi = process.env.KILN_DEV_API ?? "http://localhost:8787";

export default defineConfig({
  plugins: [sveltekit()],
  // The API refuses writes whose Origin is another site, so the proxy speaks as the API's own origin.
  server: { proxy: { "/api": { target: devApi, changeOrigin: true, headers: { origin: devApi } } } },
});
