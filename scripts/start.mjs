// `npm start`: Kiln on http://localhost:$PORT (default 8787) with embedded defaults.
import { startKiln } from "./local-server.mjs";

// `npm start` killed with SIGKILL cannot tell this process: notice being orphaned, even while starting, and stop
// everything with it.
const parent = process.ppid;
let kiln = null;
let stopping = false;
const stop = () => {
  stopping = true;
  kiln?.stop().then(() => process.exit(0));
};
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => !stopping && stop());
setInterval(() => !stopping && process.ppid !== parent && stop(), 500).unref();

const port = Number(process.env.PORT ?? 8787);
// systemd socket activation (sd_listen_fds): the first socket it passed, as fd 3, when it was passed to this process.
const listenFd = Number(process.env.LISTEN_FDS) >= 1 && Number(process.env.LISTEN_PID) === process.pid ? 3 : null;
// KILN_STATE_DIR: where the databases and bundles live (default .wrangler/state).
kiln = await startKiln({ port, stdio: "inherit", persistTo: process.env.KILN_STATE_DIR, listenFd });
if (stopping) stop();
console.log(
  `\nKiln is running on ${kiln.url}  (apps: http://<slug>.localhost:${port}/, previews: http://<slug>--preview.localhost:${port}/)`,
);
if (kiln.demo)
  console.log(
    "Demo mode: Stripe, Airtable and Google are local fakes; connect them as demo connections. KILN_DEMO=0 npm start uses the real services.",
  );
console.log("");
