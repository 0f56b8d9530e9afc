import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { Adapter } from "next-auth/adapters";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { normalizeEmail } from "./email-address";
import { deleteAllSessions } from "./sessions";

/**
 * Auth.js's drizzle adapter with our identity rules:
 * - emails are stored and looked up in lower case;
 * - a session of an account whose email is unproven (one a checkout created) is a session here as
 *   everywhere; what it may not do (link an OAuth identity) the signIn callback refuses
 *   (sign-in-rule.ts);
 * - the first time an address is proven, every session started before (by a checkout, by
 *   whoever typed the address there) ends: they never proved who they were.
 */
export function mastheadAdapter(db: Db): Adapter {
  const base = DrizzleAdapter(db, { usersTable: users, accountsTable: accounts, sessionsTable: sessions, verificationTokensTable: verificationTokens });
  return {
    ...base,
    createUser: (user) => base.createUser!({ ...user, email: normalizeEmail(user.email) }),
    getUserByEmail: (email) => base.getUserByEmail!(normalizeEmail(email)),
    updateUser: async (user) => {
      if (user.emailVerified) {
        const [before] = await db.select({ emailVerified: users.emailVerified }).from(users).where(eq(users.id, user.id));
        if (before && !before.emailVerified) await deleteAllSessions(user.id);
      }
      return base.updateUser!(user.email ? { ...user, email: normalizeEmail(user.email) } : user);
    },
  };
}
