import { defineConfig } from "drizzle-kit";

// Migrations are generated once for both engines (PGlite and PostgreSQL share the dialect).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
