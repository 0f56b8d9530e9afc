import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// npm run test:audit: the leak audit against the production build with leaks planted on purpose.
// Needs `next build` first, and Chromium (CHROMIUM_PATH or /usr/bin/chromium).
export default defineConfig({
  // `server-only` throws outside React's server environment; tests are server code (ARCHITECTURE.md).
  resolve: { alias: { "@": root, "server-only": `${root}node_modules/server-only/empty.js` } },
  test: {
    server: { deps: { inline: ["next-auth"] } },
    globalSetup: ["tests/support/fixtures.ts"],
    include: ["tests/audit/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
