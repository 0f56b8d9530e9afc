// A throw-away PostgreSQL server in a temp folder, for the cluster and for tests that stop or
// restart the database (never CI's shared server). PostgreSQL refuses to run as root, so as
// root its programs run as the `postgres` user on a folder that user owns.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust auth). */
  url: string;
  port: number;
  /** The server's log (kept until destroy). */
  logFile: string;
  stop(): void;
  start(): void;
  restart(): void;
  /** Stops the server and deletes its folder. */
  destroy(): void;
}

/** initdb and pg_ctl: on PATH, or in Debian's versioned folder. Null when PostgreSQL is not installed. */
export function findPostgresBinaries(): { initdb: string; pgCtl: string } | null {
  const onPath = (name: string) => {
    try {
      return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || null;
    } catch {
      return null;
    }
  };
  const initdb = onPath("initdb");
  const pgCtl = onPath("pg_ctl");
  if (initdb && pgCtl) return { initdb, pgCtl };
  const debian = "/usr/lib/postgresql";
  const versions = fs.existsSync(debian) ? fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = path.join(debian, version, "bin");
    if (fs.existsSync(path.join(bin, "initdb"))) return { initdb: path.join(bin, "initdb"), pgCtl: path.join(bin, "pg_ctl") };
  }
  return null;
}

export function startThrowawayPostgres(port: number): ThrowawayPostgres {
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error("No DATABASE_URL given and PostgreSQL's initdb/pg_ctl are not installed (apt-get install -y postgresql)");
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-pg-"));
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  const run = (program: string, args: string[]) =>
    execFileSync(asRoot ? "runuser" : program, asRoot ? ["-u", "postgres", "--", program, ...args] : args, { stdio: ["ignore", "pipe", "pipe"] });
  const data = path.join(dir, "data");
  run(binaries.initdb, ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  // fsync off: a throw-away server trades durability on power loss for speed; a restart keeps the data.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const pgCtl = (...args: string[]) => run(binaries.pgCtl, ["-D", data, "-l", path.join(dir, "log"), "-w", ...args]);
  const start = () => void pgCtl("-o", options, "start");
  const stop = () => void pgCtl("-m", "fast", "stop");
  start();
  let destroyed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    logFile: path.join(dir, "log"),
    start,
    stop,
    restart: () => void pgCtl("-o", options, "-m", "fast", "restart"),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        stop();
      } catch {
        // Already stopped.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
