// postinstall: fixes postgres.js 3.4.9's write scheduler (porsager/postgres#1208, PRs #1168/#1209,
// unreleased upstream). When a connection closes with a small write still buffered, the driver
// keeps a stale timer and the buffer, so that pool connection never sends again: after a database
// restart its queries hang until connect_timeout, every time (seen in tests/faults); and a write
// scheduled before the close can throw an uncaught TypeError. Delete this once a fixed release is out.
import fs from "node:fs";
import path from "node:path";

const root = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "node_modules", "postgres");
const replacements = [
  // Both teardown paths forget the buffered write along with its timer.
  ["    clearImmediate(nextWriteTimer)\n", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n"],
  // A write after the socket is gone fails the query instead of throwing outside any caller.
  [
    "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    "  function nextWrite(fn) {\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)",
  ],
];

const version = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
for (const file of ["src/connection.js", "cjs/src/connection.js"]) {
  const target = path.join(root, file);
  let source = fs.readFileSync(target, "utf8");
  if (source.includes("chunk = nextWriteTimer = null\n    socket.removeListener")) continue; // already patched
  for (const [from, to] of replacements) {
    if (!source.includes(from)) {
      console.error(`tools/patch-postgres.mjs: postgres ${version} ${file} no longer matches; check whether the fix is released and remove this patch.`);
      process.exit(1);
    }
    source = source.split(from).join(to);
  }
  // Write a new file and rename it over the old one: node_modules may be hard-linked to other copies.
  fs.writeFileSync(`${target}.patched`, source);
  fs.renameSync(`${target}.patched`, target);
}
