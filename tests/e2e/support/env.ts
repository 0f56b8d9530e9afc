import os from "node:os";
import path from "node:path";

/** Shared by playwright.config.ts (which starts the server) and the specs. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const MAILBOX_DIR = path.join(os.tmpdir(), `masthead-e2e-mailbox-${E2E_PORT}`);
export const ADMIN_EMAIL = "editor@ledger.test";
export const REGISTERED_LIMIT = 5;
