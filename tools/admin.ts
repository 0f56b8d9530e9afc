import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { runWithDatabase, UsageError } from "./cli/run-with-database";

const USAGE = "Usage: npm run admin -- grant EMAIL | npm run admin -- revoke EMAIL";
const argsSchema = z.tuple([z.enum(["grant", "revoke"]), z.string().trim().toLowerCase().pipe(z.email())]);

await runWithDatabase(async ({ db }) => {
  const parsed = argsSchema.safeParse(process.argv.slice(2));
  if (!parsed.success) throw new UsageError(USAGE);
  const [command, email] = parsed.data;
  const role = command === "grant" ? "admin" : "reader";
  const updated = await db.transaction(async (tx) => {
    const rows = await tx.update(users).set({ role }).where(eq(users.email, email)).returning({ id: users.id, emailVerified: users.emailVerified });
    // Running instances forget what they hold about this account.
    for (const { id } of rows) await announceChange(tx, "readers", id);
    return rows;
  });
  if (updated.length === 0) {
    if (command === "revoke") throw new UsageError(`No account for ${email}.`);
    // Grant before first sign-in: create the account, which signs in by email as usual.
    await db.insert(users).values({ email, role });
  }
  if (command === "revoke") console.log(`${email} is no longer an admin.`);
  else if (updated[0]?.emailVerified) console.log(`${email} is now an admin.`);
  // An unproven address is never an admin (requireAdmin): the owner proves it by signing in.
  else console.log(`${email} is now an admin, from its first sign-in with an emailed link.`);
});
