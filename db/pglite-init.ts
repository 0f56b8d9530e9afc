import "server-only";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

/**
 * PGlite's initdb (making a new, empty cluster) runs PostgreSQL's bootstrap inside the
 * WebAssembly, which grows its memory to ~700 MB that it never gives back: a server that made its
 * own data folder held ~640 MB for life, against ~185 MB for one that opened an existing folder.
 * It also takes 3-4 s of CPU, paid by every fresh test database. So initdb runs once per PGlite
 * version, in a short-lived child process whose memory goes when it exits, and leaves an empty
 * cluster as a tar in node_modules/.cache (private to this checkout); a new database, in a folder
 * or in memory, starts from that copy, which takes under a second. If the child cannot run, PGlite's own
 * initdb runs in this process, as before.
 */
const CHILD = `
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
const [mode, target, template] = process.argv.slice(1);
if (mode === "folder") {
  await (await PGlite.create(target, { loadDataDir: new Blob([fs.readFileSync(template)]) })).close();
} else {
  const pg = await PGlite.create("memory://");
  const dump = await pg.dumpDataDir("none");
  await pg.close();
  const partial = target + "." + process.pid;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
  fs.renameSync(partial, target);
}
`;

const run = promisify(execFile);

// Baseline-compiled WebAssembly, as in the server (db/client.ts): initdb takes ~40 % less CPU.
const runChild = (...args: string[]) => run(process.execPath, ["--liftoff-only", "--input-type=module", "-e", CHILD, ...args], { cwd: process.cwd(), timeout: 120_000 });

let templateFile: Promise<string | null> | undefined;

/** The empty cluster's tar, made by a child process the first time; null if that failed. */
function emptyClusterFile(): Promise<string | null> {
  templateFile ??= (async () => {
    const version = (JSON.parse(fs.readFileSync(path.join(process.cwd(), "node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string }).version;
    const file = path.join(process.cwd(), "node_modules/.cache/masthead", `pglite-${version}-empty-cluster.tar`);
    if (fs.existsSync(file)) return file;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    await runChild("template", file);
    return file;
  })().catch((error: unknown) => {
    console.warn(`PGlite's initdb in a child process failed; running it in this process instead: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    return null;
  });
  return templateFile;
}

/**
 * What to load into a database about to open (PGlite's `loadDataDir`): for `memory://`, the empty
 * cluster. A folder without a cluster yet gets it from a child process too (loading a tar in this
 * process would keep ~130 MB more), and then opens as an existing one. Undefined if no copy could
 * be made: PGlite then runs initdb itself.
 */
export async function clusterToLoad(dataDir: string, inMemory: boolean): Promise<Blob | undefined> {
  if (!inMemory && fs.existsSync(path.join(dataDir, "PG_VERSION"))) return undefined;
  const file = await emptyClusterFile();
  if (!file) return undefined;
  if (inMemory) return new Blob([fs.readFileSync(file)]);
  await runChild("folder", dataDir, file).catch((error: unknown) => console.warn(`Could not load the empty cluster into ${dataDir} in a child process: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`));
  return undefined;
}
