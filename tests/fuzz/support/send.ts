import http from "node:http";
import type { FuzzRequest } from "./generators";

/** What went wrong with one request: a 5xx, an answer slower than the limit, or no answer. */
export interface Finding {
  target: string;
  index: number;
  problem: string;
  request: string;
}

export const SLOW_MS = 5_000;

/** The status (null: no answer), the time, the body's first and last KB, or the network error. */
export interface Answer {
  status: number | null;
  ms: number;
  body: string;
  /** Whether the body contained the `watch` text sendAll was given. */
  watched: boolean;
  error: string | null;
}
/** The form limit (FORM_BODY_LIMIT_BYTES): past it a handler may answer 413 and close mid-upload. */
const CUT_OFF_ABOVE = 64 * 1024;
/**
 * Node's HTTP parser refuses larger request heads (431) and raw bytes that are not URL-safe in the
 * request line (400), before any of our code, and may reset the connection doing so.
 */
const MAX_HEAD = 16 * 1024;

function headSize(request: FuzzRequest): number {
  return request.path.length + Object.entries(request.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** A line that replays the request by hand. */
export function describe(request: FuzzRequest): string {
  const body = request.body ? ` body(${request.body.length} bytes)=${JSON.stringify(request.body.subarray(0, 300).toString("latin1"))}` : "";
  return `${request.method} ${JSON.stringify(request.path)} headers=${JSON.stringify(request.headers)}${body}`;
}

/** Sends one request exactly as generated; resolves with the status and time, or the network error. */
export function send(origin: string, request: FuzzRequest, watch = "\u0000"): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const headers = { ...request.headers, ...(request.body ? { "content-length": String(request.body.length) } : {}) };
    let done = false;
    let text = "";
    let watched = false;
    const finish = (status: number | null, error: string | null) => {
      if (done) return;
      done = true;
      resolve({ status, ms: performance.now() - started, body: text, watched, error });
    };
    const url = new URL(origin);
    const outgoing = http.request({ host: url.hostname, port: url.port, method: request.method, path: request.path, headers, agent, timeout: SLOW_MS * 2, maxHeaderSize: 256 * 1024 }, (response) => {
      let tail = "";
      response.setEncoding("utf8").on("data", (chunk: string) => {
        if (text.length < 1024) text += chunk.slice(0, 1024 - text.length);
        watched ||= (tail.slice(-watch.length) + chunk).includes(watch);
        tail = (tail + chunk).slice(-1024);
      });
      // The head and the tail: a flight answer's result row may come after long text rows.
      response.on("end", () => void (text = text.length < 1024 ? text : `${text}\n…\n${tail}`));
      response.on("end", () => finish(response.statusCode ?? null, null));
      response.on("error", (error) => finish(response.statusCode ?? null, error.message));
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error("no answer")));
    outgoing.on("error", (error: NodeJS.ErrnoException) => finish(null, error.code ?? error.message));
    outgoing.end(request.body ?? undefined);
  });
}

/**
 * Sends every request of every target, `concurrency` at a time, and returns what went wrong.
 * A large upload cut off by a 413, or an over-long head by a 431 (EPIPE/ECONNRESET), is an
 * answer, not a finding.
 */
export async function sendAll(
  origin: string,
  batches: Array<{ target: string; requests: FuzzRequest[] }>,
  concurrency = 8,
  watch?: string,
): Promise<{ findings: Finding[]; sent: number; results: Array<{ target: string; request: FuzzRequest; answer: Answer }> }> {
  const queue = batches.flatMap(({ target, requests }) => requests.map((request, index) => ({ target, index, request })));
  const findings: Finding[] = [];
  const results: Array<{ target: string; request: FuzzRequest; answer: Answer }> = [];
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const at = next++;
      const { target, index, request } = queue[at]!;
      const answer = await send(origin, request, watch);
      results[at] = { target, request, answer };
      const { status, ms, error } = answer;
      const refusedByParser = headSize(request) > MAX_HEAD || /[^\x21-\x7e]/.test(request.path);
      const cutOff = (error === "EPIPE" || error === "ECONNRESET") && ((request.body?.length ?? 0) > CUT_OFF_ABOVE || refusedByParser);
      let problem: string | null = null;
      if (status !== null && status >= 500) problem = `answered ${status}`;
      else if (ms > SLOW_MS) problem = `took ${Math.round(ms)} ms`;
      else if (status === null && !cutOff) problem = `no answer (${error})`;
      if (problem) findings.push({ target, index, problem, request: describe(request) });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { findings, sent: queue.length, results };
}
