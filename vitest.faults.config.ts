import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// npm run test:faults: the cluster (tools/cluster) under faults. Needs the production build and
// PostgreSQL (TEST_DATABASE_URL's server for fresh databases; a throw-away server for restarts).
export default defineConfig({
  // `server-only` throws outside React's server environment; tests are server code (ARCHITECTURE.md).
  resolve: { alias: { "@": root, "server-only": `${root}node_modules/server-only/empty.js` } },
  test: {
    server: { deps: { inline: ["next-auth"] } },
    include: ["tests/faults/**/*.test.ts"],
    environment: "node",
    // One cluster at a time: they share ports, and each one loads both cores.
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});
