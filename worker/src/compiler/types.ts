import type { ConnectorId } from "../../../connectors/types";
import type { DeployStage, Diagnostic } from "../core/errors";

/** The steps of a deploy the compiler runs itself (the rest: start, smoke test, checks, migration, come after). */
export type CompilerStage = Extract<DeployStage, "files" | "type-check" | "bundle">;

/** An app's files as uploaded: relative path → text. */
export type SourceFiles = Record<string, string>;

/** A built app, ready for `env.LOADER`: every module is JavaScript text. */
export interface AppBundle {
  mainModule: string;
  modules: Record<string, string>;
}

/** Optional build settings; the defaults are what the platform uses. */
export interface BuildOptions {
  /** CPU ms one synchronous run of the app (a request's turn, its start) may take before the guard stops it; default 50. */
  cpuBudgetMs?: number;
  /** false builds without loop guards, only to measure what they cost; default true. */
  guards?: boolean;
  /** Told each step that passed ("type-check", "bundle"), to show progress while the rest runs. */
  onStagePassed?: (stage: Exclude<CompilerStage, "files">) => Promise<void> | void;
}

/**
 * Outcome of `buildApp`; a failure carries one plain-words sentence and editor-ready diagnostics.
 * `connectors` are the services the app's code imports (`kiln/<id>`), sorted: the only ones it may call.
 */
export type BuildResult =
  | { ok: true; bundle: AppBundle; connectors: ConnectorId[]; warnings: string[] }
  | { ok: false; message: string; diagnostics: Diagnostic[]; stage: CompilerStage };

export type { Diagnostic };
