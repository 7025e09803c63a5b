// Runner recovery: how long another app is down when one app hangs its
// runner. On an already running Kiln: deploys an app whose /hang runs a
// catastrophic regex (nothing inside the isolate can stop it, so the
// supervisor must kill the runner), a well-behaved app on the same runner and,
// with several runners, a neighbour on another one; triggers the hang a few
// times — each on a fresh version, so the pause after two kills never applies
// — and measures, per hang, "kill → first successful request of the other
// app", "hang start → first successful request of the other app", and how many
// of the neighbour's requests failed meanwhile (it should be none).
import http from "node:http";
import { runnerIndex } from "../worker/src/placement/runner-index.ts";
import { percentile, request } from "./http.mjs";

const HANG_SOURCE = (marker) => ({
  "src/index.ts": `// runner-recovery ${marker}
export default {
  fetch(request: Request): Response {
    if (new URL(request.url).pathname !== "/hang") return new Response("hang app ${marker}");
    return new Response(String(/^(a+)+$/.test("a".repeat(40) + "!")));
  },
};
`,
});
const GOOD_SOURCE = { "src/index.ts": `export default { fetch: () => new Response("other app") };\n` };

/** One GET with its own connection and timeout; resolves { status, text, started, ended } (status 0 on failure). */
function get(port, host, path, timeoutMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    let done = false;
    const finish = (status, text = "") => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ status, text, started, ended: Date.now() });
    };
    const req = http.get({ host: "127.0.0.1", port, path, agent: false, headers: { host } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8")));
      res.on("error", () => finish(0));
    });
    const timer = setTimeout(() => {
      finish(0);
      req.destroy();
    }, timeoutMs);
    req.on("error", () => finish(0));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function deploy(port, auth, name, files, placed = () => true) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const body = { name: attempt === 0 ? name : `${name} ${attempt}` };
    const app = (await request(port, { method: "POST", path: "/api/apps", headers: auth, body })).json;
    if (!placed(app.slug)) continue;
    // Probed as anyone: the preview is opened (Kiln keeps it to its owner by default).
    const access = {
      method: "PUT",
      path: `/api/apps/${app.id}/access/preview`,
      headers: auth,
      body: { rule: "public" },
    };
    await request(port, access);
    await upload(port, auth, app, files);
    return app;
  }
  throw new Error(`runner recovery: no name like ${name} is placed where it should be`);
}

async function upload(port, auth, app, files) {
  const uploaded = await request(port, {
    method: "PUT",
    path: `/api/apps/${app.id}/source`,
    headers: auth,
    body: { files },
  });
  if (uploaded.status !== 200)
    throw new Error(`runner recovery: upload to ${app.slug} failed: ${uploaded.status} ${uploaded.text}`);
  return uploaded.json.version;
}

/**
 * Runs the measurement on a Kiln listening on `port`, as the owner `auth`
 * ({ authorization }). `events` (startKiln()'s list of runner restarts) gives
 * the supervisor's own kill time; without it, the moment the hanging request
 * was answered (503, right after the kill) stands in for it.
 * `runners` is how many runner processes Kiln runs. Resolves { rows: [{ label, p50, max, samples }], hangs,
 * neighbour: { requests, failed } | null }.
 */
export async function runnerRecovery(port, auth, { events, hangs = 3, runners = 1 } = {}) {
  const hang = await deploy(port, auth, "recovery-hang", HANG_SOURCE(0));
  const hangRunner = runnerIndex(hang.slug, runners);
  const other = await deploy(
    port,
    auth,
    "recovery-other",
    GOOD_SOURCE,
    (slug) => runnerIndex(slug, runners) === hangRunner,
  );
  const neighbour =
    runners > 1
      ? await deploy(port, auth, "recovery-neighbour", GOOD_SOURCE, (slug) => runnerIndex(slug, runners) !== hangRunner)
      : null;
  const otherHost = `${other.slug}--preview.localhost:${port}`;
  const hangHost = `${hang.slug}--preview.localhost:${port}`;
  const neighbourHost = neighbour ? `${neighbour.slug}--preview.localhost:${port}` : null;
  const neighbourSamples = [];
  const killToOk = [];
  const hangToOk = [];
  let lastKill = 0;
  for (let i = 1; i <= hangs; i++) {
    await upload(port, auth, hang, HANG_SOURCE(i));
    // Start from a quiet, healthy runner (and well after the previous restart).
    const deadline = Date.now() + 20_000;
    while (Date.now() - lastKill < 2_500 || (await get(port, otherHost, "/", 2_000)).status !== 200) {
      if (Date.now() > deadline) throw new Error("runner recovery: the other app did not come back");
      await sleep(100);
    }
    const eventsBefore = events?.length ?? 0;
    const hangStarted = Date.now();
    const hung = get(port, hangHost, "/hang", 30_000);
    // Ask the other app only once the hang holds the runner: a request that reached Kiln a few ms
    // before the hang would be blamed for it (the oldest call in flight is taken for the culprit).
    await sleep(150);
    const samples = [];
    let hangReply = null;
    hung.then((reply) => (hangReply = reply));
    // The neighbour on another runner is asked all along, until the hanging request is answered.
    const probing = (async () => {
      while (neighbourHost && hangReply === null) {
        neighbourSamples.push(await get(port, neighbourHost, "/", 2_000));
        await sleep(25);
      }
    })();
    for (;;) {
      const reply = await get(port, otherHost, "/", 1_000);
      samples.push(reply);
      const killAt = events && events.length > eventsBefore ? events[eventsBefore].at : hangReply?.ended;
      const ok = killAt !== undefined ? samples.find((s) => s.status === 200 && s.started >= killAt) : undefined;
      if (ok) {
        killToOk.push(ok.ended - killAt);
        hangToOk.push(ok.ended - hangStarted);
        lastKill = killAt;
        break;
      }
      if (Date.now() - hangStarted > 30_000)
        throw new Error("runner recovery: the other app did not recover within 30 s");
      await sleep(25);
    }
    const answered = await hung;
    await probing;
    if (answered.status !== 503)
      throw new Error(
        `runner recovery: the hang was answered with ${answered.status}, expected 503 (runner restarted)`,
      );
  }
  const row = (label, values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { label, p50: percentile(sorted, 50), max: sorted.at(-1), samples: values };
  };
  return {
    hangs,
    neighbour: neighbour
      ? { requests: neighbourSamples.length, failed: neighbourSamples.filter((s) => s.status !== 200).length }
      : null,
    rows: [
      row("kill → first success of another app", killToOk),
      row("hang start → first success of another app", hangToOk),
    ],
  };
}

/** Prints the result as a small markdown table. */
export function printRunnerRecovery({ hangs, rows, neighbour }) {
  console.log(`\nRunner recovery — ${hangs} catastrophic-regex hangs, each killed by the supervisor\n`);
  console.log("| case (other app on the same runner) | p50 ms | max ms | samples ms |");
  console.log("|---|---:|---:|---|");
  for (const r of rows) console.log(`| ${r.label} | ${r.p50} | ${r.max} | ${r.samples.join(", ")} |`);
  if (neighbour)
    console.log(
      `\nTarget: an app on another runner fails no request while the hanging runner is killed: ${neighbour.failed} of ${neighbour.requests} failed ${neighbour.failed === 0 ? "✓" : "✗"}`,
    );
}
