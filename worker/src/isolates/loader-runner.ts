import type { AppBundle } from "../compiler";
import {
  type AppRunner,
  type AppTarget,
  DEFAULT_LIMITS,
  type RunLimits,
  type TrialTarget,
  type AppDescription,
  type SnippetTarget,
} from "./app-runner";
import { fnv1a } from "../core/fnv1a";
import { EVICT_ENTRYPOINT } from "./evictable";
import type { IsolateLru } from "./isolate-lru";
import { APP_COMPATIBILITY, appWorkerCode, snippetWorkerCode } from "./worker-code";
import { REQUEST_ID_HEADER } from "../core/headers";
import { TRIAL_VERSION } from "../egress/egress-props";

/** Thrown when a version's bundle is missing from storage (it was deleted or never stored). */
export class BundleMissingError extends Error {
  override readonly name = "BundleMissingError";
}

/** Where the runner gets a version's code when it first starts that version's isolate. */
export type BundleSource = (appId: string, version: string) => Promise<AppBundle | null>;

/**
 * Runs app code in Dynamic Workers of this process through the Worker Loader
 * binding. The control plane uses it directly in tests and single-process
 * mode; the runner worker wraps it when app code runs in its own process.
 */
export class LoaderRunner implements AppRunner {
  constructor(
    private readonly loader: WorkerLoader,
    private readonly bundles: BundleSource,
    private readonly limits: RunLimits = DEFAULT_LIMITS,
    /** Set under the local supervisor: requests mark their entry and exit on stdout (isolates/request-marks.ts). */
    private readonly markSecret: string | null = null,
    /** The runner's bound on warm isolates; null keeps every isolate (the test pool, single-process runs). */
    private readonly lru: IsolateLru | null = null,
  ) {}

  async serve(target: AppTarget, request: Request): Promise<Response> {
    const id = isolateId(target);
    await this.#keepWithinBound(id, target);
    return this.#cached(target, id).getEntrypoint().fetch(request);
  }

  async prewarm(target: AppTarget): Promise<void> {
    const id = isolateId(target);
    await this.#keepWithinBound(id, target);
    // Any call evaluates the module; KilnMeta exists in every bundle and has no side effects.
    const meta = this.#cached(target, id).getEntrypoint("KilnMeta") as unknown as { describe(): Promise<unknown> };
    await meta.describe();
  }

  // Unloads the least recently used isolates past the bound before `target` is used (it may be a new one).
  async #keepWithinBound(id: string, target: AppTarget): Promise<void> {
    if (!this.lru) return;
    for (const old of this.lru.use(id, target)) {
      const evict = this.#cached(old).getEntrypoint(EVICT_ENTRYPOINT) as unknown as { evict(): Promise<boolean> };
      // An isolate that cannot be unloaded (it crashed at start) holds no memory worth the visitor's wait.
      await evict.evict().catch(() => false);
    }
  }

  #cached(target: AppTarget, id = isolateId(target)): WorkerStub {
    return this.loader.get(id, async () => {
      const bundle = await this.bundles(target.appId, target.version);
      if (!bundle) throw new BundleMissingError(`The code of version ${target.version} is missing from storage.`);
      return appWorkerCode(target, bundle, this.limits, this.markSecret);
    });
  }

  async inspect(bundle: AppBundle): Promise<AppDescription> {
    const worker = this.loader.load({
      ...APP_COMPATIBILITY,
      compatibilityFlags: [...APP_COMPATIBILITY.compatibilityFlags],
      mainModule: bundle.mainModule,
      modules: bundle.modules,
      env: {},
      globalOutbound: null,
      limits: this.limits,
    });
    const meta = worker.getEntrypoint("KilnMeta") as unknown as { describe(): Promise<AppDescription> };
    return meta.describe();
  }

  trial(target: TrialTarget, request: Request): Promise<Response> {
    const code = appWorkerCode(
      {
        appId: target.appId,
        environment: "preview",
        version: TRIAL_VERSION,
        config: { ...target.config },
        connectors: target.connectors,
        databaseName: target.scratchDatabase,
      },
      target.bundle,
      this.limits,
    );
    return this.loader
      .load({ ...code, tails: [] })
      .getEntrypoint()
      .fetch(request);
  }

  execute(target: SnippetTarget): Promise<Response> {
    // load(), not get(): a snippet runs once, and nothing of one run may be left for the next. Under the supervisor
    // it marks its entry and exit like a visit, so a snippet that stops the runner is the one blamed for it.
    return this.loader
      .load(snippetWorkerCode(target, this.limits, this.markSecret))
      .getEntrypoint()
      .fetch("http://snippet.kiln/", { headers: { [REQUEST_ID_HEADER]: snippetRequestId(target) } });
  }
}

// Environment and config are part of the id: each pair gets its own bindings.
function isolateId(target: AppTarget): string {
  return `${target.appId}:${target.environment}:${target.version}:${fnv1a(JSON.stringify(target.config)).toString(36)}`;
}

/** The request id of a snippet's run: what its marks and the runner's in-progress list name it by. */
export function snippetRequestId(target: SnippetTarget): string {
  return `mcp_${target.props.executionId}`;
}
