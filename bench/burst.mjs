// A burst of visitors: 2,000 concurrent requests to one app (each about 1 ms of CPU) while a neighbour app is
// asked every 100 ms. Load is not a fault: nearly every burst request must be answered 200 (queued, not refused),
// the neighbour must keep answering within 2 s, and the supervisor must not take the busy runner for a hung one.
import http from "node:http";
import { percentile, request } from "./http.mjs";

const BURST = Number(process.env.BENCH_BURST ?? 2000);

const BUSY_SOURCE = {
  "src/index.ts": `export default {
  fetch(): Response {
    const until = Date.now() + 1;
    let spins = 0;
    while (Date.now() < until) spins++;
    return new Response("busy " + (spins > 0));
  },
};
`,
};
const NEIGHBOUR_SOURCE = { "src/index.ts": `export default { fetch: () => new Response("neighbour") };\n` };

function get(agent, port, host, timeoutMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent, headers: { host } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
      res.on("error", () => resolve({ status: 0, ms: Date.now() - started }));
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.on("error", () => resolve({ status: 0, ms: Date.now() - started }));
  });
}

async function deploy(port, auth, name, files) {
  const app = (await request(port, { method: "POST", path: "/api/apps", headers: auth, body: { name } })).json;
  const up = await request(port, { method: "PUT", path: `/api/apps/${app.id}/source`, headers: auth, body: { files } });
  if (up.status !== 200) throw new Error(`burst: upload of ${name} failed: ${up.text}`);
  await request(port, {
    method: "POST",
    path: `/api/apps/${app.id}/publish`,
    headers: auth,
    body: { version: up.json.version },
  });
  return `${app.slug}.localhost:${port}`;
}

/** Fires the burst at one app while probing a neighbour; resolves the figures. */
export async function burstFigures(port, auth, { events }) {
  const busy = await deploy(port, auth, "burst busy", BUSY_SOURCE);
  const neighbour = await deploy(port, auth, "burst neighbour", NEIGHBOUR_SOURCE);
  const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await get(probeAgent, port, busy, 5000);
  await get(probeAgent, port, neighbour, 5000);
  const killsBefore = events.length;
  const probes = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      probes.push(await get(probeAgent, port, neighbour, 10_000));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const burstAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: BURST }, () => get(burstAgent, port, busy, 60_000)));
  const seconds = (Date.now() - started) / 1000;
  probing = false;
  await probe;
  probeAgent.destroy();
  const ok = answers.filter((a) => a.status === 200).length;
  const statuses = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const probeMs = probes.map((p) => (p.status === 200 ? p.ms : Number.POSITIVE_INFINITY)).sort((x, y) => x - y);
  return {
    burst: BURST,
    ok,
    statuses,
    seconds,
    burstP50: percentile(
      answers.map((a) => a.ms).sort((x, y) => x - y),
      50,
    ),
    neighbourProbes: probes.length,
    neighbourFailed: probes.filter((p) => p.status !== 200).length,
    neighbourMaxMs: probeMs.at(-1) ?? 0,
    neighbourP50: percentile(probeMs, 50),
    runnerKills: events.length - killsBefore,
  };
}

/** Prints the burst row and its targets. */
export function printBurst(f) {
  const share = f.ok / f.burst;
  console.log(
    `\nBurst: ${f.burst} concurrent visitors to one app (≈1 ms CPU each): ${f.ok} answered 200 (${(share * 100).toFixed(1)}%; statuses ${JSON.stringify(f.statuses)}) in ${f.seconds.toFixed(1)} s, p50 ${f.burstP50.toFixed(0)} ms; a neighbour app asked every 100 ms: ${f.neighbourProbes} probes, ${f.neighbourFailed} failed, p50 ${f.neighbourP50.toFixed(0)} ms, slowest ${Number.isFinite(f.neighbourMaxMs) ? `${f.neighbourMaxMs} ms` : "no answer"}; runner kills ${f.runnerKills}.`,
  );
  console.log(
    `Targets: ≥ 99% of the burst answered 200: ${(share * 100).toFixed(1)}% ${share >= 0.99 ? "✓" : "✗"} · neighbour answers within 2 s throughout: ${f.neighbourFailed === 0 && f.neighbourMaxMs <= 2000 ? "✓" : "✗"} · no runner kill: ${f.runnerKills === 0 ? "✓" : "✗"}`,
  );
}
