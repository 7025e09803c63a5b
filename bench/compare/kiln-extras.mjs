// Kiln figures beyond run.mjs's (a)–(c), on an already running Kiln: build
// time without a model (PUT /api/apps/:id/source = type-check + bundle +
// smoke start) and memory per additional warm app (RSS growth of the runner's
// workerd over N distinct published apps, each requested once).
import { percentile, request } from "../http.mjs";
import { runnerWorkerdPids, runnersRssMiB } from "./runner-process.mjs";
import { benchAppSource } from "../app-source.mjs";

const MiB_PER_GiB = 1024;
/** The memory budget the "warm apps that fit" figure is extrapolated to. */
export const MEMORY_BUDGET_GiB = 8;

class BenchStepError extends Error {
  name = "BenchStepError";
}

async function createApp(port, auth, name) {
  const created = await request(port, { method: "POST", path: "/api/apps", headers: auth, body: { name } });
  if (created.status >= 300) throw new BenchStepError(`creating ${name} failed: ${created.status} ${created.text}`);
  return created.json;
}

async function upload(port, auth, app, marker) {
  const uploaded = await request(port, {
    method: "PUT",
    path: `/api/apps/${app.id}/source`,
    headers: auth,
    body: { files: benchAppSource(marker) },
  });
  if (uploaded.status !== 200)
    throw new BenchStepError(`upload to ${app.slug} failed: ${uploaded.status} ${uploaded.text}`);
  return uploaded;
}

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), rps: 1000 / mean, total: sorted.length };
};

/**
 * `uploads` new versions of a small app, one at a time: times the upload
 * (the build: type-check + bundle + inspect + smoke start) and, after
 * publishing, the version's first request. With `pairedRequest` (a function
 * resolving a latency in ms), one request of another system is timed right
 * after each first request, so the two are compared under the same load.
 */
export async function measureBuildAndFirstRequests(port, auth, { uploads = 10, pairedRequest } = {}) {
  const app = await createApp(port, auth, "build-time");
  const warmUp = await upload(port, auth, app, "warm-up");
  await request(port, {
    method: "POST",
    path: `/api/apps/${app.id}/publish`,
    headers: auth,
    body: { version: warmUp.json.version },
  });
  const builds = [];
  const firsts = [];
  const paired = [];
  for (let i = 0; i < uploads; i++) {
    const uploaded = await upload(port, auth, app, `build ${i} ${Date.now()}`);
    builds.push(uploaded.ms);
    const published = await request(port, {
      method: "POST",
      path: `/api/apps/${app.id}/publish`,
      headers: auth,
      body: { version: uploaded.json.version },
    });
    if (published.status >= 300)
      throw new BenchStepError(`publish of ${app.slug} failed: ${published.status} ${published.text}`);
    const first = await request(port, { host: `${app.slug}.localhost:${port}`, path: "/" });
    if (first.status !== 200) throw new BenchStepError(`first request of a new version failed: ${first.status}`);
    firsts.push(first.ms);
    if (pairedRequest) paired.push(await pairedRequest());
  }
  return { build: summary(builds), first: summary(firsts), ...(pairedRequest ? { paired: summary(paired) } : {}) };
}

/** Least-squares slope of RSS over the number of apps. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.apps, 0) / n;
  const my = points.reduce((s, p) => s + p.rssMiB, 0) / n;
  const num = points.reduce((s, p) => s + (p.apps - mx) * (p.rssMiB - my), 0);
  const den = points.reduce((s, p) => s + (p.apps - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

/** Runs `task(index)` for 0..count-1, `parallel` at a time, calling `onDone(doneCount)` after each. */
async function forEachParallel(count, parallel, task, onDone) {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      await task(next++);
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/**
 * Publishes `apps` distinct apps (`parallel` at a time), then requests each
 * once so its isolate is warm, sampling the runner's RSS every `sampleEvery`
 * apps in both phases. The headline is (RSS after both − RSS before) ÷ N, as
 * the issue defines it; the two phases say how much of it publishing leaves in
 * the runner (inspect and smoke isolates) and how much the warm isolate takes.
 * RSS is that of every runner together (apps are spread over them).
 */
export async function measureMemoryPerApp(port, auth, { apps = 200, parallel = 2, sampleEvery = 20 } = {}) {
  const pids = runnerWorkerdPids().join(",");
  if (pids === "") throw new BenchStepError("could not find the runners' workerd processes");
  const started = Date.now();
  const baselineMiB = runnersRssMiB();
  const published = [];
  const publishSamples = [{ apps: 0, rssMiB: baselineMiB }];
  await forEachParallel(
    apps,
    parallel,
    async (index) => {
      const app = await createApp(port, auth, `warm-${index}`);
      const version = (await upload(port, auth, app, `app ${index}`)).json.version;
      const answer = await request(port, {
        method: "POST",
        path: `/api/apps/${app.id}/publish`,
        headers: auth,
        body: { version },
      });
      if (answer.status >= 300)
        throw new BenchStepError(`publish of ${app.slug} failed: ${answer.status} ${answer.text}`);
      published.push(app);
    },
    (done) => done % sampleEvery === 0 && publishSamples.push({ apps: done, rssMiB: runnersRssMiB() }),
  );
  const afterPublishMiB = runnersRssMiB();
  const warmSamples = [{ apps: 0, rssMiB: afterPublishMiB }];
  await forEachParallel(
    published.length,
    parallel,
    async (index) => {
      const answer = await request(port, { host: `${published[index].slug}.localhost:${port}`, path: "/" });
      if (answer.status !== 200)
        throw new BenchStepError(`first request of ${published[index].slug} failed: ${answer.status}`);
    },
    (done) => done % sampleEvery === 0 && warmSamples.push({ apps: done, rssMiB: runnersRssMiB() }),
  );
  const finalMiB = runnersRssMiB();
  if (runnerWorkerdPids().join(",") !== pids)
    throw new BenchStepError("a runner restarted during the memory measurement");
  const perAppMiB = (finalMiB - baselineMiB) / apps;
  return {
    apps,
    seconds: (Date.now() - started) / 1000,
    baselineMiB,
    afterPublishMiB,
    finalMiB,
    perAppMiB,
    publishLeftoverMiB: (afterPublishMiB - baselineMiB) / apps,
    warmIsolateMiB: (finalMiB - afterPublishMiB) / apps,
    warmIsolateSlopeMiB: slope(warmSamples),
    // Linear extrapolation from the measured growth; nothing here evicts idle isolates, so it is what this runner would do.
    fitIn8GiB: perAppMiB > 0 ? Math.floor((MEMORY_BUDGET_GiB * MiB_PER_GiB - baselineMiB) / perAppMiB) : Infinity,
    publishSamples,
    warmSamples,
  };
}
