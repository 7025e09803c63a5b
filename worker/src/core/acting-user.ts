import type { CurrentUser } from "./records";

// A symbol, not a header or a field: only code in this process can put it on the env object a route receives, so no
// request from the network can claim to be a user this way.
const ACTING_USER = Symbol("kiln.actingUser");

/** `env` for an in-process API call made on `user`'s behalf (an MCP snippet's `kiln.*` call): requireUser takes it. */
export function actingAs<E extends object>(env: E, user: CurrentUser): E {
  return { ...env, [ACTING_USER]: user };
}

/** The user an in-process caller acts as, if `env` came from `actingAs`. */
export function actingUser(env: object): CurrentUser | null {
  const user = (env as { [ACTING_USER]?: CurrentUser })[ACTING_USER];
  return user ?? null;
}
