import "server-only";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

/**
 * PGlite's initdb (making a new, empty cluster) runs PostgreSQL's bootstrap inside the
 * WebAssembly, which grows its memory to ~700 MB that it never gives back: a server that made its
 * own data folder held ~640 MB for life, against ~185 MB for one that opened an existing folder.
 * It also takes 3-4 s of CPU, paid by every fresh in-memory test database. So initdb runs in a
 * short-lived child process, whose memory goes when it exits:
 * - a data folder with no cluster yet is initialised by the child, then opened as usual;
 * - `memory://` databases load a copy of an empty cluster the child made once per PGlite version
 *   (a tar in node_modules/.cache, private to this checkout), which takes under a second.
 * If the child cannot run, PGlite's own initdb does it in this process, as before.
 */
const CHILD = `
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
const [mode, target] = process.argv.slice(1);
if (mode === "folder") {
  await (await PGlite.create(target)).close();
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

async function runChild(mode: "folder" | "template", target: string): Promise<boolean> {
  try {
    // Baseline-compiled WebAssembly, as in the server (db/client.ts): initdb takes ~40 % less CPU.
    await run(process.execPath, ["--liftoff-only", "--input-type=module", "-e", CHILD, mode, target], { cwd: process.cwd(), timeout: 120_000 });
    return true;
  } catch (error) {
    console.warn(`PGlite's initdb in a child process failed; running it in this process instead: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    return false;
  }
}

/** Makes the cluster in `dataDir` (a folder without one) in a child process. */
export async function initialiseDataFolder(dataDir: string): Promise<void> {
  if (fs.existsSync(path.join(dataDir, "PG_VERSION"))) return;
  fs.mkdirSync(dataDir, { recursive: true });
  await runChild("folder", dataDir);
}

let template: Promise<Blob | undefined> | undefined;

/** An empty cluster to load into a `memory://` database, or undefined to let PGlite run initdb. */
export function emptyClusterTemplate(): Promise<Blob | undefined> {
  template ??= (async () => {
    const version = (JSON.parse(fs.readFileSync(path.join(process.cwd(), "node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string }).version;
    const file = path.join(process.cwd(), "node_modules/.cache/masthead", `pglite-${version}-empty-cluster.tar`);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      if (!(await runChild("template", file))) return undefined;
    }
    return new Blob([fs.readFileSync(file)]);
  })().catch((error: unknown) => {
    console.warn(`No PGlite template: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  return template;
}
