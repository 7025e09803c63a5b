// Types `exports` from "cloudflare:workers" (loopback bindings to this Worker's own entrypoints).
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index");
    durableNamespaces: "AppDataStore";
  }
}
