// Turns the comparison's figures into rows (each with its ratio to Kiln's warm
// path), checks the issue's targets, and prints both as markdown tables.

/** The issue's targets. */
export const TARGETS = {
  warmOverFloor: 1.3,
  firstRequestMs: 25,
  // Issue 14's bound (the earlier comparison asked for 2 MiB).
  perAppMiB: 1.5,
  warmVsChildProcess: 50,
  firstVsChildProcess: 5,
};

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "-");
// Two significant digits, so a 0.007× row does not print as 0.0.
const ratio = (n) => (Number.isFinite(n) ? `${n >= 10 ? n.toFixed(0) : Number(n.toPrecision(2))}×` : "-");

/**
 * Rows of { system, kind, p50, p95, rps, concurrency, against, ratio } for
 * everything measured. `kind`: "load" (closed loop at the bench's
 * concurrency) or "sequential" (one at a time). `against` is the Kiln warm
 * p50 the row is divided by: for alternatives, the run made right before
 * theirs (same machine state); for Kiln's own rows, (b).
 */
export function buildRows({ kiln, connections }) {
  const row = (system, kind, figure, concurrency, against, note) => ({
    system,
    kind,
    p50: figure.p50,
    p95: figure.p95,
    rps: figure.rps,
    concurrency,
    total: figure.total,
    against,
    ratio: figure.p50 / against,
    ...(note ? { note } : {}),
  });
  const warm = kiln.warm.p50;
  const rows = [
    row("Kiln: warm app request reading one row (b)", "load", kiln.warm, connections, warm),
    row("Kiln: platform route GET /api/health (a)", "load", kiln.floor, connections, warm),
    row("Kiln: first request of a new version (c)", "sequential", kiln.first, 1, warm),
    row("Kiln: build without a model (PUT source: type-check + bundle + smoke)", "sequential", kiln.build, 1, warm),
  ];
  for (const alt of kiln.alternatives) {
    if (alt.skipped) {
      rows.push({ system: alt.label, kind: "skipped", note: alt.skipped });
      continue;
    }
    rows.push(
      row(
        `Kiln: warm app (b), run just before the next row`,
        "load",
        alt.kilnWarm,
        connections,
        alt.kilnWarm.p50,
        `${alt.seconds}s`,
      ),
    );
    rows.push(row(alt.label, "load", alt, connections, alt.kilnWarm.p50, `${alt.seconds}s`));
    rows.push(row(`${alt.label}, one at a time`, "sequential", alt.sequential, 1, alt.kilnWarm.p50));
  }
  if (kiln.firstPaired.paired) {
    rows.push(
      row(
        "Kiln: first request of a new version, paired with the next row",
        "sequential",
        kiln.firstPaired.first,
        1,
        warm,
      ),
    );
    rows.push(
      row("fresh Node child process, one request after each of those", "sequential", kiln.firstPaired.paired, 1, warm),
    );
  }
  rows.push({
    system: "Kiln: a cron run start",
    kind: "unavailable",
    note: "not available yet (automations come in a later issue)",
  });
  return rows;
}

/** ✓/✗ per target, with the figures it compares. */
export function checkTargets({ kiln }) {
  const hello = kiln.alternatives.find((a) => a.id === "workerd-hello" && !a.skipped);
  const child = kiln.alternatives.find((a) => a.id === "child-process" && !a.skipped);
  const warmOverFloor = kiln.warm.p50 / kiln.floor.p50;
  const checks = [
    {
      target: `warm app p50 ≤ ${TARGETS.warmOverFloor}× the platform floor (Kiln's plain route (a), run back to back)`,
      value: `${fmt(warmOverFloor)}×${hello ? ` (vs a plain workerd hello-world, paired: ${fmt(hello.kilnWarm.p50 / hello.p50, 0)}×)` : ""}`,
      ok: warmOverFloor <= TARGETS.warmOverFloor,
    },
    {
      target: `first request of a new version p50 ≤ ${TARGETS.firstRequestMs} ms`,
      value: `${fmt(kiln.first.p50)} ms (${kiln.first.total} versions)`,
      ok: kiln.first.p50 <= TARGETS.firstRequestMs,
    },
    {
      target: `≤ ${TARGETS.perAppMiB} MiB per warm app`,
      value: `${fmt(kiln.memory.perAppMiB)} MiB (RSS growth ÷ ${kiln.memory.apps} apps; the warm isolate alone ${fmt(kiln.memory.warmIsolateMiB)} MiB)`,
      ok: kiln.memory.perAppMiB <= TARGETS.perAppMiB,
    },
  ];
  if (child) {
    const warmSpeedup = child.p50 / child.kilnWarm.p50;
    checks.push({
      target: `warm app request ≥ ${TARGETS.warmVsChildProcess}× faster than a fresh Node child process per request (p50, ${child.connections} connections, run back to back)`,
      value: `${fmt(warmSpeedup, 1)}× (${fmt(child.kilnWarm.p50)} ms vs ${fmt(child.p50)} ms)`,
      ok: warmSpeedup >= TARGETS.warmVsChildProcess,
    });
  } else {
    checks.push({
      target: `warm app request ≥ ${TARGETS.warmVsChildProcess}× faster than a fresh Node child process`,
      value: "child-process case skipped",
      ok: false,
    });
  }
  if (kiln.firstPaired.paired) {
    const firstSpeedup = kiln.firstPaired.paired.p50 / kiln.firstPaired.first.p50;
    checks.push({
      target: `first request of a new version ≥ ${TARGETS.firstVsChildProcess}× faster than a fresh Node child process (p50, one at a time, request by request)`,
      value: `${fmt(firstSpeedup, 1)}× (${fmt(kiln.firstPaired.first.p50)} ms vs ${fmt(kiln.firstPaired.paired.p50)} ms)`,
      ok: firstSpeedup >= TARGETS.firstVsChildProcess,
    });
  }
  return checks;
}

/** The comparison as markdown (also written into docs/performance.md). */
export function renderMarkdown({ rows, checks, kiln, published, connections, seconds, pairedSeconds }) {
  const lines = [];
  lines.push(`| system | how | p50 ms | p95 ms | req/s | ÷ Kiln warm p50 | that Kiln warm p50 ms |`);
  lines.push(`|---|---|---:|---:|---:|---:|---:|`);
  for (const r of rows) {
    if (r.kind === "skipped" || r.kind === "unavailable") {
      lines.push(`| ${r.system} | ${r.note} | - | - | - | - | - |`);
      continue;
    }
    const how = r.kind === "load" ? `${r.concurrency} connections${r.note ? `, ${r.note}` : ""}` : "one at a time";
    lines.push(
      `| ${r.system} | ${how} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.rps, 0)} | ${ratio(r.ratio)} | ${fmt(r.against)} |`,
    );
  }
  const m = kiln.memory;
  lines.push("");
  lines.push(
    `Memory: the runner's workerd went from ${fmt(m.baselineMiB, 0)} MiB to ${fmt(m.afterPublishMiB, 0)} MiB after publishing ${m.apps} distinct apps ` +
      `and to ${fmt(m.finalMiB, 0)} MiB once each had answered one request (${fmt(m.seconds, 0)} s in all): **${fmt(m.perAppMiB)} MiB per warm app** ` +
      `(${fmt(m.publishLeftoverMiB)} MiB per app appeared while uploading and publishing, before any live request — publishing prewarms the live isolate, and the build's inspect and smoke-start isolates run in the runner too — and ${fmt(m.warmIsolateMiB)} MiB on each app's first live request; slope of that phase ${fmt(m.warmIsolateSlopeMiB)} MiB). ` +
      `Extrapolated linearly from the starting RSS, **about ${Number.isFinite(m.fitIn8GiB) ? m.fitIn8GiB.toLocaleString("en-US") : "∞"} warm apps fit before the runner reaches 8 GiB**.`,
  );
  lines.push("");
  lines.push("Targets:");
  lines.push("");
  for (const c of checks) lines.push(`- ${c.ok ? "✓" : "✗"} ${c.target}: ${c.value}`);
  lines.push("");
  lines.push("Published, **not measured here** (references only):");
  lines.push("");
  lines.push("| system | published figure | source |");
  lines.push("|---|---|---|");
  for (const p of published) lines.push(`| ${p.system} | ${p.figure} | ${p.source} |`);
  lines.push("");
  lines.push(
    `Load rows: closed loop (bench/load.mjs), ${connections} keep-alive connections, ${seconds} s each for (a)/(b), ${pairedSeconds} s for each alternative and the Kiln warm run paired with it. ` +
      `"÷ Kiln warm p50" divides a row's p50 by the Kiln warm p50 in the last column: for an alternative, the run made right before it, so the ratio holds even when the machine's load changes. ` +
      `Every sandbox alternative runs the same handler (parse a one-row JSON document, answer a small JSON) and does no database read, which favours it.`,
  );
  return lines.join("\n");
}
