// Published figures for microVM sandboxes, printed beside the measured ones as
// references: they are NOT measured here (no KVM on this machine, and these are
// hosted services). Each carries its source; where no first-party start-time
// figure was found, the entry says so instead of guessing one.

/** { system, figure, source } rows, printed verbatim. */
export const PUBLISHED = [
  {
    system: "Firecracker (its own spec, i3.metal)",
    figure:
      "≤ 125 ms from InstanceStart to the guest's /sbin/init; VMM memory overhead ≤ 5 MiB per microVM; VMM process start ≤ 8 CPU ms (wall 6–60 ms, typically ~12 ms)",
    startMs: 125,
    source: "https://github.com/firecracker-microvm/firecracker/blob/main/SPECIFICATION.md",
  },
  {
    system: "Vercel Sandbox (Firecracker microVM)",
    figure:
      "snapshot restore brought from > 40 s to under 1 s at p75; Sandbox.create() now includes restore, ~50 ms more at p50. No published end-to-end create p50 found.",
    startMs: null,
    source:
      "https://vercel.com/blog/optimizing-vercel-sandbox-snapshots ; https://vercel.com/changelog/sandbox-create-waits-until-ready",
  },
  {
    system: "E2B (Firecracker microVM)",
    figure:
      "no first-party start-time figure found in the sources searchable here; third-party write-ups claim ~150–200 ms to a ready sandbox",
    startMs: null,
    source:
      "https://e2b.dev/docs (no figure) ; third-party: https://theneuralbase.com/e2b/learn/advanced/firecracker-microvms/",
  },
];
