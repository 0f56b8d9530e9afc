import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { sessionTokenFrom } from "@/lib/http/cookies";
import { userForSessionToken, type SessionUser } from "./session-user";

/** The signed-in user for this request, looked up once per render. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const token = sessionTokenFrom(await cookies());
  return token ? userForSessionToken(token) : null;
});

/** First line of a page or action that needs a reader: anonymous callers go to sign in. */
export async function requireUser(callbackPath: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return user;
}

/**
 * First line of every admin page, action and handler: anyone else gets a 404, as if it did not
 * exist. An account whose email is unproven is never an admin, whatever its role says.
 */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (user?.role !== "admin" || !user.emailVerified) notFound();
  return user;
}
