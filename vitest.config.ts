import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * Every vitest suite, one project each (`vitest run --project NAME`; package.json names them):
 * unit and integration need nothing built; audit, fuzz and faults run against the production
 * build (`next build` first), and faults against PostgreSQL (TEST_DATABASE_URL).
 */
export default defineConfig({
  // `server-only` throws outside React's server environment; tests are server code (ARCHITECTURE.md).
  resolve: { alias: { "@": root, "server-only": `${root}node_modules/server-only/empty.js` } },
  test: {
    environment: "node",
    // next-auth imports "next/server" without an extension, which only a bundler resolves.
    server: { deps: { inline: ["next-auth"] } },
    // Says once when ../shared/fixtures is absent (a fresh clone): the tests run on our own.
    globalSetup: ["tests/support/fixtures.ts"],
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        // A seeded year of readers against the Stripe emulator, then the money audit
        // (docs/money-audit.md). MONEY_YEAR_SEED replays a run; the seed is printed either way.
        // It takes 100–150 s of CPU on a 2-core machine and prints its time; the timeout is twice
        // the 3-minute target, so a machine busy with other work does not fail it.
        test: { name: "simulation", include: ["tests/simulation/**/*.test.ts"], fileParallelism: false, testTimeout: 360_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        // The leak audit against the production build with leaks planted on purpose (Chromium too).
        test: { name: "audit", include: ["tests/audit/**/*.test.ts"], fileParallelism: false, testTimeout: 60_000, hookTimeout: 240_000 },
      },
      {
        extends: true,
        // Generated requests against the production build and the Stripe emulator. One server at
        // a time: they share FUZZ_PORT, and each one loads both cores.
        test: { name: "fuzz", include: ["tests/fuzz/**/*.test.ts"], fileParallelism: false, testTimeout: 240_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        // The cluster (tools/cluster) under faults. One cluster at a time: they share ports, and
        // each one loads both cores.
        test: { name: "faults", include: ["tests/faults/**/*.test.ts"], fileParallelism: false, testTimeout: 600_000, hookTimeout: 180_000 },
      },
    ],
  },
});
