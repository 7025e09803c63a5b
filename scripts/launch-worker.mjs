// Runs one Worker on real workerd through wrangler's Node API, in its own
// process so the supervisor can kill and restart it independently.
// Options come as JSON in KILN_LAUNCH; "ready" is sent over IPC once serving.
import { unstable_startWorker } from "wrangler";

const options = JSON.parse(process.env.KILN_LAUNCH ?? "{}");

// With `forwardMarks`, request marks (worker/src/runner/request-marks.ts) go to the
// supervisor over IPC, a tick's worth at a time, instead of through wrangler's log
// formatting (which source-maps every line and cost ~0.3 ms each); other lines print
// at warn level and above, as wrangler would.
const pendingMarks = [];
function handleWorkerLog({ level, message }) {
  if (message.startsWith("KILN_MARK ")) {
    if (pendingMarks.length === 0) setImmediate(() => process.send?.({ type: "marks", lines: pendingMarks.splice(0) }));
    pendingMarks.push(message);
    return;
  }
  if (level === "warn" || level === "error") process.stderr.write(`${message}\n`);
}
const worker = await unstable_startWorker({
  config: options.config,
  bindings: options.bindings ?? {},
  ...(options.envFiles ? { envFiles: options.envFiles } : {}),
  dev: {
    server: { hostname: "127.0.0.1", port: options.port },
    // The inspector slows every request down and nobody attaches a debugger here.
    inspector: false,
    watch: false,
    persist: options.persist,
    registry: options.registry,
    logLevel: options.logLevel ?? "warn",
    ...(options.forwardMarks ? { structuredLogsHandler: handleWorkerLog } : {}),
  },
});
await worker.ready;
process.send?.({ type: "ready" });

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 3000);
    try {
      await worker.dispose();
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  });
}
