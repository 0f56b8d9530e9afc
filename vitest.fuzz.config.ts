import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// npm run test:fuzz: generated requests against the production build (`next build` first), on
// PGlite and, with TEST_DATABASE_URL, on PostgreSQL; and against the Stripe emulator.
export default defineConfig({
  // `server-only` throws outside React's server environment; tests are server code (ARCHITECTURE.md).
  resolve: { alias: { "@": root, "server-only": `${root}node_modules/server-only/empty.js` } },
  test: {
    server: { deps: { inline: ["next-auth"] } },
    include: ["tests/fuzz/**/*.test.ts"],
    environment: "node",
    // One server at a time: they share FUZZ_PORT, and each one loads both cores.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
