// `npm start`: Kiln on http://localhost:$PORT (default 8787) with embedded defaults.
import { startKiln } from "./local-server.mjs";

const port = Number(process.env.PORT ?? 8787);
const kiln = await startKiln({ port, stdio: "inherit" });
console.log(`\nKiln is running on ${kiln.url}  (apps: http://<slug>.localhost:${port}/, previews: http://<slug>--preview.localhost:${port}/)\n`);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => kiln.stop().then(() => process.exit(0)));
