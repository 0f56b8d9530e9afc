// Readers reading through the load balancer, each in a loop over the articles, every answer
// recorded (when, how long, status, what it showed) for the checks.
import fs from "node:fs";
import { METER_COOKIE } from "@/lib/access/meter";
import type { Reader } from "./fault-cluster";

export interface Read {
  /** ms since the load started */
  at: number;
  ms: number;
  status: number;
  /** data-access of the article page; null if the answer was not an article page. */
  access: "full" | "preview" | null;
  reader: number;
  articleId: number;
  error?: string;
}

export interface ReaderLoad {
  startedAt: number;
  reads: Read[];
  stop(): Promise<Read[]>;
}

const ACCESS = /data-access="(full|preview)"/;

export function startReaders(siteUrl: string, readers: Reader[], articles: Array<{ id: number; slug: string }>, options: { timeoutMs?: number; pauseMs?: number } = {}): ReaderLoad {
  const startedAt = Date.now();
  const reads: Read[] = [];
  let running = true;
  const loop = async (index: number) => {
    const reader = readers[index]!;
    let cookie = reader.cookie;
    for (let n = index; running; n++) {
      const article = articles[n % articles.length]!;
      const t0 = Date.now();
      const read: Read = { at: t0 - startedAt, ms: 0, status: 0, access: null, reader: index, articleId: article.id };
      const timeoutMs = options.timeoutMs ?? 20_000;
      const abort = new AbortController();
      let deadline: NodeJS.Timeout | undefined;
      try {
        const answer = (async () => {
          const response = await fetch(`${siteUrl}/articles/${article.slug}`, { headers: cookie ? { cookie } : {}, signal: abort.signal });
          return { response, body: await response.text() };
        })();
        // Our own timer, not only the fetch's signal: under a heavily loaded machine a fetch whose
        // connection was dropped has been seen never to settle, which left the soak waiting forever.
        const { response, body } = await Promise.race([
          answer,
          new Promise<never>((_, reject) => {
            deadline = setTimeout(() => {
              abort.abort();
              reject(new Error(`no answer in ${timeoutMs} ms`));
            }, timeoutMs);
          }),
        ]);
        read.status = response.status;
        read.access = (ACCESS.exec(body)?.[1] as Read["access"]) ?? null;
        // An anonymous reader keeps its meter, as a browser would.
        const meter = response.headers.getSetCookie().find((c) => c.startsWith(`${METER_COOKIE}=`));
        if (reader.kind === "anonymous" && meter) cookie = meter.split(";")[0]!;
      } catch (error) {
        read.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      } finally {
        clearTimeout(deadline);
      }
      read.ms = Date.now() - t0;
      reads.push(read);
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  };
  const loops = readers.map((_, i) => loop(i));
  return {
    startedAt,
    reads,
    async stop() {
      running = false;
      await Promise.all(loops);
      return reads;
    },
  };
}

/** Resident memory of a process and its children, in bytes (Linux /proc). */
export function residentBytes(pid: number): number {
  const own = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  const children = fs.existsSync(`/proc/${pid}/task/${pid}/children`)
    ? fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)
    : [];
  return own + children.reduce((sum, child) => sum + residentBytes(child), 0);
}

export function summarize(reads: Read[]): string {
  const byStatus = new Map<string, number>();
  for (const r of reads) byStatus.set(r.error ? "error" : String(r.status), (byStatus.get(r.error ? "error" : String(r.status)) ?? 0) + 1);
  const ms = reads.map((r) => r.ms).sort((a, b) => a - b);
  const p = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  return `${reads.length} reads (${[...byStatus].map(([k, v]) => `${k}: ${v}`).join(", ")}), p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${ms.at(-1) ?? 0} ms`;
}
