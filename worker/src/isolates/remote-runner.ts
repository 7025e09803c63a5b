import type { AppBundle } from "../compiler";
import type { AppRunner, AppTarget, TrialTarget, AppDescription, SnippetTarget } from "./app-runner";
import { type InFlightCall, startCall } from "../incidents/runner-losses";
import { REQUEST_ID_HEADER } from "../core/headers";
import { snippetRun } from "../core/records";
import { snippetRequestId } from "./loader-runner";

/** The runner Worker's RPC surface for app code (runner/index.ts implements AppRunner). */
export interface AppRunnerEntrypoint extends AppRunner, Rpc.WorkerEntrypointBranded {}

/** The RUNNER binding typed by that surface; control-plane/bindings-check.ts proves the runner Worker has it. */
export type AppRunnerService = Service<AppRunnerEntrypoint>;

/** The runner process went away (killed by the supervisor, or crashed) while handling a call. */
export class RunnerLostError extends Error {
  override readonly name = "RunnerLostError";
  constructor(readonly call: InFlightCall) {
    super("The app runner restarted while handling this request.");
  }
}

/** A call took longer than the wall-clock deadline; the runner itself may be fine. */
export class RunnerDeadlineError extends Error {
  override readonly name = "RunnerDeadlineError";
  constructor(readonly seconds: number) {
    super(`The app did not answer within ${seconds} seconds.`);
  }
}

/** Default wall-clock deadline for one call into the runner. */
export const RUNNER_DEADLINE_MS = 30_000;

/**
 * The control plane's handle on the runner process, through the RUNNER
 * service binding (locally: a second workerd under the supervisor; on
 * Cloudflare: a second Worker whose limits the platform enforces).
 */
export class RemoteRunner implements AppRunner {
  constructor(
    private readonly runner: AppRunnerService,
    private readonly deadlineMs = RUNNER_DEADLINE_MS,
    /** Which of the local supervisor's runners this is (0 on Cloudflare): its restarts explain this one's losses. */
    private readonly runnerIndex = 0,
  ) {}

  serve(target: AppTarget, request: Request): Promise<Response> {
    const requestId = request.headers.get(REQUEST_ID_HEADER);
    return this.#call(
      { appId: target.appId, environment: target.environment, version: target.version, requestId },
      () => this.runner.serve(target, request),
    );
  }

  prewarm(target: AppTarget): Promise<void> {
    return this.#call(
      { appId: target.appId, environment: target.environment, version: target.version, requestId: null },
      () => this.runner.prewarm(target),
    );
  }

  inspect(bundle: AppBundle): Promise<AppDescription> {
    return this.#call({ appId: "build", environment: "preview", version: "build", requestId: null }, () =>
      this.runner.inspect(bundle),
    );
  }

  trial(target: TrialTarget, request: Request): Promise<Response> {
    return this.#call({ appId: target.appId, environment: "preview", version: "trial", requestId: null }, () =>
      this.runner.trial(target, request),
    );
  }

  execute(target: SnippetTarget): Promise<Response> {
    return this.#call({ ...snippetRun(target.props.userId), requestId: snippetRequestId(target) }, () =>
      this.runner.execute(target),
    );
  }

  async #call<T>(what: Omit<InFlightCall, "id" | "startedAt" | "runner">, run: () => Promise<T>): Promise<T> {
    const call = startCall({ ...what, runner: this.runnerIndex });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RunnerDeadlineError(Math.round(this.deadlineMs / 1000))), this.deadlineMs);
    });
    try {
      return await Promise.race([run(), deadline]);
    } catch (error) {
      if (isRunnerGone(error)) throw new RunnerLostError(call);
      throw error;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}

/** Whether `error` says the runner process went away mid-call (killed, crashed, restarting): workerd's own words. */
export function isRunnerGone(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /Network connection lost|Worker ".*" not found|disconnected|broken pipe/i.test(error.message);
}
