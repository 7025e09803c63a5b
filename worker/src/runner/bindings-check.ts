// Compile-time only: the bindings wrangler generates from wrangler.runner.jsonc (worker-configuration.d.ts, `npm run
// types`) must be exactly what runner-env.ts says the runner has. Any drift fails `tsc`; nothing here runs.
import type { RunnerEnv } from "./runner-env";

type Holds<Condition extends true> = Condition;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Bound = Omit<RunnerEnv, "KILN_MARK_SECRET" | "KILN_FRONT_SECRET">;

/** Each line is a fact `tsc` checks; a false one is a compile error naming it. */
export type RunnerBindingsMatch = [
  Holds<Same<keyof RunnerBindings, keyof Bound>>,
  Holds<RunnerBindings extends Bound ? true : false>,
  Holds<Bound extends RunnerBindings ? true : false>,
];
