import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// npm run test:simulation: a seeded year of readers against the Stripe emulator, then the money
// audit (docs/money-audit.md). MONEY_YEAR_SEED replays a run; the seed is printed either way.
export default defineConfig({
  // `server-only` throws outside React's server environment; tests are server code (ARCHITECTURE.md).
  resolve: { alias: { "@": root, "server-only": `${root}node_modules/server-only/empty.js` } },
  test: {
    server: { deps: { inline: ["next-auth"] } },
    globalSetup: ["tests/support/fixtures.ts"],
    include: ["tests/simulation/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    // The year must finish in under 3 minutes on a 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
