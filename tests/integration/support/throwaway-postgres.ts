import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface ThrowawayPostgres {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and deletes its folder. */
  remove(): Promise<void>;
}

/**
 * Whether this machine can run a PostgreSQL of our own: initdb and pg_ctl refuse to run as root,
 * so as root they run as the `postgres` user (DESIGN.md, stack notes).
 */
export function canRunThrowawayPostgres(): boolean {
  try {
    execFileSync("initdb", ["--version"], { stdio: "ignore" });
    if (process.getuid?.() === 0) execFileSync("id", ["postgres"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A PostgreSQL server of its own in a temp folder, on a free port, that a test may stop and start again. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-pg-"));
  const asPostgres = async (command: string, args: string[]) => {
    if (process.getuid?.() === 0) await run("runuser", ["-u", "postgres", "--", command, ...args]);
    else await run(command, args);
  };
  if (process.getuid?.() === 0) await run("chown", ["postgres", dir]);
  const port = await freePort();
  await asPostgres("initdb", ["-D", path.join(dir, "data"), "-A", "trust", "-U", "postgres"]);
  const pgCtl = (...args: string[]) => asPostgres("pg_ctl", ["-D", path.join(dir, "data"), ...args]);
  const start = () => pgCtl("-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "-l", path.join(dir, "log"), "-w", "start");
  const stop = () => pgCtl("-m", "fast", "-w", "stop");
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    remove: async () => {
      await stop().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
