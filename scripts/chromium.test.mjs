// The browser the tests and the bench drive: a fresh machine with no chromium package must still get one.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { chromiumPath, packagedChromium } from "./chromium.mjs";

test("the Chromium build the project brings unpacks once and runs", async () => {
  const binary = await packagedChromium();
  assert.match(binary, /node_modules\/\.cache\/kiln-chromium\/[\d.]+\/chromium$/);
  assert.equal(await packagedChromium(), binary, "a second call reuses the unpacked binary");
  const { stdout } = await promisify(execFile)(binary, ["--headless", "--no-sandbox", "--version"]);
  assert.match(stdout, /Chromium \d+/);
});

test("CHROMIUM_PATH wins, and a wrong one is said plainly", async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "kiln-chromium-"));
  const notABrowser = path.join(dir, "chromium");
  writeFileSync(notABrowser, "not executable", { mode: 0o644 });
  t.after(() => delete process.env.CHROMIUM_PATH);
  process.env.CHROMIUM_PATH = notABrowser;
  await assert.rejects(chromiumPath(), new RegExp(`CHROMIUM_PATH is ${notABrowser}, which is not an executable file`));
  process.env.CHROMIUM_PATH = process.execPath;
  assert.equal(await chromiumPath(), process.execPath);
});
