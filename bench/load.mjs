// Closed-loop load generator: `connections` keep-alive clients each send the
// next request as soon as the previous one answers, for `seconds`. Records
// every latency, so p50/p95 are exact (sub-millisecond) and not bucketed.
import http from "node:http";
import { percentile } from "./http.mjs";

/** Runs the load; resolves { p50, p95, p99, rps, total, errors } (latencies in ms). */
export async function closedLoop({ port, host, path, connections = 16, seconds = 8 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let errors = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  const one = () =>
    new Promise((resolve) => {
      const t0 = process.hrtime.bigint();
      const req = http.get({ host: "127.0.0.1", port, path, agent, headers: { host } }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode !== 200) errors++;
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) await one();
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: latencies.length / elapsed,
    total: latencies.length,
    errors,
  };
}
