import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

describe("safeNext", () => {
  it("keeps a same-origin path with its query and hash", () => {
    expect(safeNext("/apps/app_1/data?env=live#rows")).toBe("/apps/app_1/data?env=live#rows");
    expect(safeNext("/api/oauth/authorize?client_id=x&state=y")).toBe("/api/oauth/authorize?client_id=x&state=y");
  });

  it("never answers a path another host could be read from", () => {
    for (const next of [
      "//evil.example",
      "/\\evil.example",
      "/\tevil.example",
      "/.//evil.example",
      "/..//evil.example/x",
      "/%2e//evil",
      "/./\\evil",
      "https://evil.example/",
      "evil.example",
    ]) {
      const path = safeNext(next);
      expect(path.startsWith("/"), next).toBe(true);
      expect(/^[/\\]{2}/.test(path), `${next} → ${path}`).toBe(false);
      expect(new URL(path, "http://kiln.invalid").origin).toBe("http://kiln.invalid");
    }
  });
});
