import type { TailRecord } from "../logs/request-store";
import { RequestLedger } from "../logs/request-ledger";
import { DEFAULT_LIMITS } from "../isolates/app-runner";
import { IsolateLru } from "../isolates/isolate-lru";
import { LoaderRunner } from "../isolates/loader-runner";
import { BundleCache } from "./bundle-cache";
import { LogBatch } from "./log-batch";
import { RouteTable } from "./route-table";
import type { RunnerEnv } from "./runner-env";

// One table and one batch per runner isolate, made with the first request's env (bindings are the isolate's).
let routes: RouteTable | null = null;
let logs: LogBatch<TailRecord> | null = null;
let ledger: RequestLedger | null = null;
let isolates: IsolateLru | null = null;
let loader: LoaderRunner | null = null;
let bundles: BundleCache | null = null;

/** Source bytes of recently started versions the runner keeps (an evicted isolate restarts without a round trip). */
const BUNDLE_CACHE_BYTES = 32 * 1024 * 1024;

/** What starts and serves app isolates in this runner (one per isolate: it holds nothing per request). */
export function loaderRunner(env: RunnerEnv): LoaderRunner {
  bundles ??= new BundleCache(BUNDLE_CACHE_BYTES);
  const cache = bundles;
  loader ??= new LoaderRunner(
    env.LOADER,
    (appId, version) => cache.get(`${appId}:${version}`, () => env.CONTROL.bundle(appId, version)),
    DEFAULT_LIMITS,
    env.KILN_MARK_SECRET ?? null,
    isolateLru(env),
  );
  return loader;
}

/** The runner's warm isolates, at most RUNNER_MAX_ISOLATES (default 300: ≈1.5–4 MiB each, so well under a GiB). */
export function isolateLru(env: RunnerEnv): IsolateLru {
  isolates ??= new IsolateLru(Number(env.RUNNER_MAX_ISOLATES || "300"));
  return isolates;
}

/** The runner's routing table: rows pushed by the control plane, read from it on a miss. */
export function routeTable(env: RunnerEnv): RouteTable {
  if (!routes) {
    const seconds = Number(env.ROUTE_CACHE_SECONDS || "0");
    routes = new RouteTable((slug) => env.CONTROL.route(slug), { ttlMs: seconds > 0 ? seconds * 1000 : null });
  }
  return routes;
}

/** The runner's outgoing log lines and request-log rows, sent to the control plane in batches. */
export function logBatch(env: RunnerEnv): LogBatch<TailRecord> {
  logs ??= new LogBatch<TailRecord>((records) => env.CONTROL.appendTail(records), {
    collect: () => requestLedger().drain(),
  });
  return logs;
}

/** The runner's request counts and the request-log sample (`logs/request-ledger.ts`), sent with each log batch. */
export function requestLedger(): RequestLedger {
  ledger ??= new RequestLedger();
  return ledger;
}
