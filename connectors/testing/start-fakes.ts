// Starts every connector's loopback fake that exists (`connectors/<id>/fake/server.ts`)
// for the workerd tests and for `npm start`'s demo connections. Runs in Node.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { FakeUpstream } from "../types.ts";

const connectorsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** All running fakes, with the platform variables that point Kiln at them. */
export interface FakeUpstreams {
  vars: Record<string, string>;
  close(): Promise<void>;
}

/** Starts each connector's fake on a free loopback port. */
export async function startFakeUpstreams(): Promise<FakeUpstreams> {
  const started: FakeUpstream[] = [];
  for (const id of readdirSync(connectorsDir).sort()) {
    const server = path.join(connectorsDir, id, "fake", "server.ts");
    if (!existsSync(server)) continue;
    const module = (await import(pathToFileURL(server).href)) as {
      startFake(options?: { port?: number }): Promise<FakeUpstream>;
    };
    started.push(await module.startFake());
  }
  return {
    vars: Object.assign({}, ...started.map((fake) => fake.vars)),
    close: async () => {
      await Promise.all(started.map((fake) => fake.close()));
    },
  };
}
