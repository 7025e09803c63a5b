// Which Chromium the browser tests, the bench and the gallery screenshots drive.
// A fresh machine has no browser and cannot download one (only package registries are reachable), so the project
// brings its own: the Chromium build shipped inside the `@sparticuz/chromium` npm package, brotli-compressed,
// unpacked once into node_modules/.cache. A browser already on the machine is preferred: it is unpacked already.
import { accessSync, constants, createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createBrotliDecompress } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Browsers a distribution installs, in the order they are tried. */
export const SYSTEM_CHROMIUMS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome-stable",
  "/usr/bin/google-chrome",
];

/** The flags every launch uses: root needs --no-sandbox; the rest keeps Chromium off a network it cannot reach. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The path of a Chromium to launch: `CHROMIUM_PATH` when set, else a system browser, else the packaged build
 * (unpacked on first use, ~3 s).
 * @returns {Promise<string>}
 */
export async function chromiumPath() {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (!isExecutable(chosen)) throw new Error(`CHROMIUM_PATH is ${chosen}, which is not an executable file.`);
    return chosen;
  }
  const system = SYSTEM_CHROMIUMS.find(isExecutable);
  if (system) return system;
  return packagedChromium();
}

/**
 * The Chromium build of `@sparticuz/chromium`, unpacked into node_modules/.cache/kiln-chromium/<version>/ the first
 * time it is asked for.
 * @returns {Promise<string>}
 */
export async function packagedChromium() {
  const packageDir = path.join(root, "node_modules", "@sparticuz", "chromium");
  const compressed = path.join(packageDir, "bin", "chromium.br");
  if (!existsSync(compressed)) {
    throw new Error(
      "No Chromium found: none at CHROMIUM_PATH or " +
        SYSTEM_CHROMIUMS.join(", ") +
        ", and the @sparticuz/chromium package is not installed. Run `npm install` (it brings one), or install your " +
        "distribution's chromium package.",
    );
  }
  const { version } = JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8"));
  const dir = path.join(root, "node_modules", ".cache", "kiln-chromium", version);
  const binary = path.join(dir, "chromium");
  if (isExecutable(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  // Unpack beside the target and rename: a second process never sees half a binary.
  const partial = `${binary}.${process.pid}.partial`;
  try {
    await pipeline(createReadStream(compressed), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }));
    renameSync(partial, binary);
  } finally {
    await rm(partial, { force: true });
  }
  return binary;
}

/** @param {string} file */
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
