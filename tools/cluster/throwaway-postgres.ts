// A throw-away PostgreSQL server in a temp folder, for the cluster and for tests that stop or
// restart the database (never CI's shared server). PostgreSQL refuses to run as root, so as
// root its programs run as the `postgres` user on a folder that user owns (DESIGN.md, stack notes).
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust auth). */
  url: string;
  port: number;
  /** The server's log (kept until remove). */
  logFile: string;
  /** Each resolves once pg_ctl is done: started and accepting connections, or stopped. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and deletes its folder. */
  remove(): Promise<void>;
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

/** Whether this machine can run a PostgreSQL of our own (as root: needs the `postgres` user). */
export function canRunThrowawayPostgres(): boolean {
  if (!findPostgresBinaries()) return false;
  try {
    if (process.getuid?.() === 0) execFileSync("id", ["postgres"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** On the given port, or a free one. */
export async function startThrowawayPostgres(port?: number): Promise<ThrowawayPostgres> {
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error("No DATABASE_URL given and PostgreSQL's initdb/pg_ctl are not installed (apt-get install -y postgresql)");
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-pg-"));
  if (asRoot) await run("chown", ["postgres:postgres", dir]);
  const asPostgres = async (program: string, args: string[]) => void (asRoot ? await run("runuser", ["-u", "postgres", "--", program, ...args]) : await run(program, args));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "log");
  const listenPort = port ?? (await freePort());
  await asPostgres(binaries.initdb, ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  // fsync off: a throw-away server trades durability on power loss for speed; a clean restart keeps the data.
  const options = `-p ${listenPort} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const pgCtl = (...args: string[]) => asPostgres(binaries.pgCtl, ["-D", data, "-l", logFile, "-w", ...args]);
  const start = () => pgCtl("-o", options, "start");
  const stop = () => pgCtl("-m", "fast", "stop");
  await start();
  let removed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${listenPort}/postgres`,
    port: listenPort,
    logFile,
    start,
    stop,
    async remove() {
      if (removed) return;
      removed = true;
      await stop().catch(() => {}); // already stopped
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
