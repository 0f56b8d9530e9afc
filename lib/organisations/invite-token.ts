import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";

/** An invitation's token: 32 random bytes in base64url. Only its SHA-256 is stored. */
export const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This invitation link is not complete: open it from the email again.");

export function newInviteToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const INVITE_DAYS = 30;
