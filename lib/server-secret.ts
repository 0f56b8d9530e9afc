import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

let secret: string | undefined;

/**
 * The server secret that signs our cookies. Production requires AUTH_SECRET; in development a
 * random one is kept in the data folder so a new user needs no set-up and cookies survive restarts.
 */
export function serverSecret(): string {
  if (secret) return secret;
  const { AUTH_SECRET, NODE_ENV, DATA_DIR } = env();
  if (AUTH_SECRET) return (secret = AUTH_SECRET);
  // env() already stops a production server without it; nothing built in production mode may sign with a made-up one.
  if (NODE_ENV === "production") throw new Error("AUTH_SECRET is required in production (at least 32 random characters).");
  const file = path.resolve(DATA_DIR, "dev-secret");
  try {
    secret = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fresh = randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, fresh, { flag: "wx", mode: 0o600 });
    } catch {
      // Another process wrote it first; use theirs.
    }
    secret = fs.readFileSync(file, "utf8").trim();
  }
  return secret;
}

const keys = new Map<string, Buffer>();

/** A key for one purpose, so a signature made for one cookie is never valid for another. */
export function keyFor(purpose: string): Buffer {
  let key = keys.get(purpose);
  if (!key) {
    key = createHmac("sha256", serverSecret()).update(`masthead:${purpose}`).digest();
    keys.set(purpose, key);
  }
  return key;
}
