// Draws the comparison's latency rows as an SVG bar chart (log scale, p50 bar
// with a p95 tick), from the rows written to bench/results/compare.json —
// so the chart in the docs always shows measured numbers.

const WIDTH = 960;
const LABEL_WIDTH = 430;
const ROW_HEIGHT = 26;
const TOP = 48;
const escapeXml = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** SVG text for rows of { system, kind, p50, p95 } (rows without p50 are left out). */
export function latencyChart(rows, { title }) {
  const shown = rows.filter((r) => Number.isFinite(r.p50) && Number.isFinite(r.p95));
  const min = 0.1;
  const max = 10 ** Math.ceil(Math.log10(Math.max(...shown.map((r) => r.p95), 10)));
  const plotLeft = LABEL_WIDTH + 10;
  const plotWidth = WIDTH - plotLeft - 90;
  const x = (ms) =>
    plotLeft + ((Math.log10(Math.max(ms, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))) * plotWidth;
  const height = TOP + shown.length * ROW_HEIGHT + 40;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
    `<text x="12" y="38" fill="#555">bar = p50, tick = p95, log scale (ms); blue = Kiln, grey = alternatives; "1×" = one request at a time</text>`,
  ];
  for (let decade = min; decade <= max; decade *= 10) {
    const gx = x(decade).toFixed(1);
    parts.push(`<line x1="${gx}" y1="${TOP - 4}" x2="${gx}" y2="${TOP + shown.length * ROW_HEIGHT}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${gx}" y="${TOP + shown.length * ROW_HEIGHT + 16}" text-anchor="middle" fill="#555">${decade >= 1 ? decade.toFixed(0) : decade.toFixed(1)}</text>`,
    );
  }
  shown.forEach((r, i) => {
    const y = TOP + i * ROW_HEIGHT;
    const kiln = r.system.startsWith("Kiln");
    // Parentheses hold how-it-was-run details that the table gives; the chart keeps the name.
    const name = r.system.replace(/ \([^)]*\)/g, "").replace(", one at a time", "");
    const label = `${name.length > 60 ? `${name.slice(0, 59)}…` : name}${r.kind === "sequential" ? " [1×]" : ""}`;
    parts.push(`<text x="${LABEL_WIDTH}" y="${y + 16}" text-anchor="end">${escapeXml(label)}</text>`);
    parts.push(
      `<rect x="${plotLeft}" y="${y + 5}" width="${(x(r.p50) - plotLeft).toFixed(1)}" height="${ROW_HEIGHT - 10}" fill="${kiln ? "#2f6fdb" : "#9a9a9a"}"/>`,
    );
    parts.push(
      `<line x1="${x(r.p95).toFixed(1)}" y1="${y + 3}" x2="${x(r.p95).toFixed(1)}" y2="${y + ROW_HEIGHT - 3}" stroke="#222" stroke-width="2"/>`,
    );
    parts.push(
      `<text x="${(x(r.p95) + 6).toFixed(1)}" y="${y + 16}" fill="#333">${r.p50 < 10 ? r.p50.toFixed(2) : r.p50.toFixed(0)} ms</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
