// `npm start`: Kiln on http://localhost:$PORT (default 8787) with embedded defaults.
import { startKiln } from "./local-server.mjs";

const port = Number(process.env.PORT ?? 8787);
const kiln = await startKiln({ port, stdio: "inherit" });
console.log(
  `\nKiln is running on ${kiln.url}  (apps: http://<slug>.localhost:${port}/, previews: http://<slug>--preview.localhost:${port}/)`,
);
if (kiln.demo)
  console.log(
    "Demo mode: Stripe, Airtable and Google are local fakes; connect them as demo connections. KILN_DEMO=0 npm start uses the real services.",
  );
console.log("");
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => kiln.stop().then(() => process.exit(0)));
