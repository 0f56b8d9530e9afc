import os from "node:os";
import path from "node:path";

/** Shared by playwright.config.ts (which starts the server) and the specs. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const MAILBOX_DIR = path.join(os.tmpdir(), `masthead-e2e-mailbox-${E2E_PORT}`);
/** The server's process id, for specs that measure its memory. */
export const SERVER_PID_FILE = path.join(os.tmpdir(), `masthead-e2e-server-${E2E_PORT}.pid`);
/** The environment the server runs with, for specs that start a second instance on its database. */
export const SERVER_ENV_FILE = path.join(os.tmpdir(), `masthead-e2e-server-${E2E_PORT}.env.json`);
/** That second instance's port. */
export const SECOND_PORT = E2E_PORT + 2;
export const ADMIN_EMAIL = "editor@ledger.test";
/** Also in ADMIN_EMAILS, but with no account until a checkout creates one (unproven). */
export const CHECKOUT_ADMIN_EMAIL = "new-editor@ledger.test";
export const REGISTERED_LIMIT = 5;
export const STRIPE_PORT = E2E_PORT + 1;
export const STRIPE_URL = `http://127.0.0.1:${STRIPE_PORT}`;
export const STRIPE_WEBHOOK_SECRET = "whsec_e2e_0123456789abcdef0123456789abcdef";
