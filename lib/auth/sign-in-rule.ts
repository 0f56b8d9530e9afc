import "server-only";
import { cookies } from "next/headers";
import { sessionTokenFrom, sessionTokenFromHeaders } from "@/lib/http/cookies";
import { userForSessionToken } from "./session-user";

/** Where a refused sign-in goes: the sign-in error page says to confirm the address first. */
export const CONFIRM_EMAIL_FIRST = "/signin/error?error=ConfirmEmailFirst";

/**
 * Auth.js's signIn callback: whether this sign-in may go on. A session of an account whose email
 * is unproven (one a checkout created) is a session like any other, but Auth.js would link any
 * OAuth identity signed in from that browser to that account, and a verified OAuth sign-in would
 * then mark the account's address proven. So with such a session only the emailed link may sign
 * in (it proves the address, or switches the browser to the account it proves); anything else is
 * sent to confirm the address first. Admin rights need a proven address (`onSignedIn`,
 * `requireAdmin`), and the first proof ends every earlier session (the adapter).
 */
export async function signInAllowed(account: { type: string } | null | undefined, request: Request | undefined): Promise<true | string> {
  if (account?.type === "email") return true;
  const token = request ? sessionTokenFromHeaders(request.headers) : await sessionTokenOfThisRequest();
  const user = token ? await userForSessionToken(token) : null;
  return user && !user.emailVerified ? CONFIRM_EMAIL_FIRST : true;
}

/** Outside a route handler (a server action's signIn), the request's cookies; none in tools. */
async function sessionTokenOfThisRequest(): Promise<string | null> {
  try {
    return sessionTokenFrom(await cookies());
  } catch {
    return null;
  }
}
