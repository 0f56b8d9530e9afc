// npm run cluster -- --measure: the reading path's req/s on one app server (direct) and on the
// whole cluster (through nginx), with the same request: an anonymous reader opening an article.
import autocannon from "autocannon";
import type { Cluster } from "./cluster";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

export async function measureThroughput(cluster: Cluster): Promise<string> {
  const front = await (await fetch(cluster.url)).text();
  const slug = /href="\/articles\/([^"]+)"/.exec(front)?.[1];
  if (!slug) throw new Error("no article linked from the front page");
  const measure = async (base: string) => {
    const url = `${base}/articles/${slug}`;
    await autocannon({ url, connections: CONNECTIONS, duration: 2 }); // warm-up
    const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return r;
  };
  // One, all, one, all: a machine whose load drifts during the run weighs on both alike.
  const one = [await measure(cluster.servers[0]!.url)];
  const all = [await measure(cluster.url)];
  one.push(await measure(cluster.servers[0]!.url));
  all.push(await measure(cluster.url));
  const line = (runs: autocannon.Result[]) =>
    `${runs.map((r) => r.requests.average.toFixed(0)).join(" and ")} req/s (p50 ${runs.map((r) => r.latency.p50).join(" and ")} ms, p99 ${runs.map((r) => r.latency.p99).join(" and ")} ms)`;
  return [
    `Reading path, anonymous reader opening /articles/${slug}, ${CONNECTIONS} connections, ${SECONDS} s each, twice:`,
    `  one app server, direct:    ${line(one)}`,
    `  the cluster through nginx: ${line(all)} (${cluster.servers.length} app servers)`,
  ].join("\n");
}
