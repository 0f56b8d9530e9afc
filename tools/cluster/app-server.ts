// One app server of the cluster: `next start` on 127.0.0.1:port, its output passed on line by
// line; it can be stopped (SIGTERM: Next drains), killed and started again on the same port.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { stopChild, waitForHealth } from "../child-process";

export interface AppServer {
  port: number;
  url: string;
  /** The `next start` process (the one that serves: Next 16 does not fork for start). */
  pid(): number;
  /** Resolves once the process has exited (after start(), for the new process). */
  exited(): Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  /** Starts it again after a stop or kill; resolves once /api/health answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAppServer(port: number, env: Record<string, string>, output: (line: string) => void): Promise<AppServer> {
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  let exit: Promise<number | null>;
  const start = async () => {
    child = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const started = child;
    exit = new Promise((resolve) => started.once("exit", (code) => resolve(code)));
    for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on("line", output);
    await waitForHealth(url, child);
  };
  await start();
  return {
    port,
    url,
    pid: () => child.pid!,
    exited: () => exit,
    kill: (signal) => void child.kill(signal),
    start,
    stop: () => stopChild(child),
  };
}
