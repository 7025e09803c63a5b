import type { ConnectorId } from "../../../connectors/types";
import type { AppBundle } from "../compiler";
import { DEFAULT_CPU_BUDGET_MS } from "../compiler/guard-runtime";
import { MAX_SUBREQUESTS_PER_REQUEST } from "../compiler/request-limits";
import type { Environment } from "../core/env";

/** One version of one app in one environment: what a cached isolate runs. */
export interface AppTarget {
  appId: string;
  environment: Environment;
  version: string;
  /** The owner's non-secret config values, handed to the app as `env.CONFIG`. */
  config: Record<string, string>;
  /** Services the version's code imports (`kiln/<id>`): the only ones its outbound calls may reach. */
  connectors: readonly ConnectorId[];
}

/** A throwaway start of a bundle that is not a version yet, bound to a scratch database. */
export interface TrialTarget {
  appId: string;
  /** Name of the scratch database the trial may write to; dropped afterwards. */
  scratchDatabase: string;
  bundle: AppBundle;
  /** What the build found the bundle imports, as the version will record it. */
  connectors: readonly ConnectorId[];
  /** The CONFIG the trial's code reads: the owner's values over the setup's defaults (checks exercise what will run). */
  config?: Readonly<Record<string, string>>;
}

/** Who an MCP snippet acts for and until when: set by Kiln on the snippet's one binding, never seen by its code. */
export interface SnippetProps {
  /** Names this run for its call budget (`isolates/snippet-budget.ts`). */
  executionId: string;
  userId: string;
  /** Epoch ms after which the snippet's calls are refused. */
  deadlineAt: number;
}

/** An MCP agent's snippet, built like an app, run once in a fresh isolate whose only way out is its `KILN` binding. */
export interface SnippetTarget {
  bundle: AppBundle;
  props: SnippetProps;
}

/** Resource limits passed on every load (enforced by Cloudflare; local workerd ignores them). */
export interface RunLimits {
  cpuMs: number;
  subRequests: number;
}

/** What a bundle declares, read from a throwaway isolate (the wrapper's KilnMeta): checked by the build, never trusted as is. */
export interface AppDescription {
  tables: unknown;
  checks?: unknown;
  automations?: unknown;
  roles?: unknown;
  access?: unknown;
  setup?: unknown;
  tools?: unknown;
}

/** Default per-request limits of app code. */
export const DEFAULT_LIMITS: RunLimits = { cpuMs: DEFAULT_CPU_BUDGET_MS, subRequests: MAX_SUBREQUESTS_PER_REQUEST };

/**
 * Everything the control plane asks of app code, kept this narrow (plain
 * values and Requests only) so it can move into a separate process.
 */
export interface AppRunner {
  /** Serves a request with the cached isolate of `target`, loading it on first use. */
  serve(target: AppTarget, request: Request): Promise<Response>;
  /** Starts the cached isolate of `target` ahead of its first request (after an upload or publish). */
  prewarm(target: AppTarget): Promise<void>;
  /** Evaluates a bundle in a throwaway isolate with no bindings and returns its declared `tables`. */
  inspect(bundle: AppBundle): Promise<AppDescription>;
  /** Sends one request to a throwaway isolate of the trial bundle. */
  trial(target: TrialTarget, request: Request): Promise<Response>;
  /** Runs an MCP snippet once in a fresh isolate (`load()`): no network, only the typed Kiln client; answers its JSON. */
  execute(target: SnippetTarget): Promise<Response>;
}
