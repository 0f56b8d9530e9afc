import "server-only";
import { secureCookies } from "@/lib/http/cookies";
import { keyFor } from "@/lib/server-secret";
import { currentVisit, decodeVisit, encodeVisit, VISIT_COOKIE, VISIT_GAP_SECONDS, type VisitState } from "./visit";

type CookieJar = { get(name: string): { value: string } | undefined };
type CookieWriter = { set(name: string, value: string, options: Record<string, unknown>): unknown };

/** This browser's running visit (signed cookie), or null. */
export function readVisitCookie(cookies: CookieJar, now: Date): VisitState | null {
  return currentVisit(decodeVisit(cookies.get(VISIT_COOKIE)?.value, keyFor("visit")), Math.floor(now.getTime() / 1000));
}

/** Keeps the visit; the browser drops it once the visit has ended. */
export function writeVisitCookie(cookies: CookieWriter, visit: VisitState): void {
  cookies.set(VISIT_COOKIE, encodeVisit(visit, keyFor("visit")), {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(),
    path: "/",
    maxAge: VISIT_GAP_SECONDS,
  });
}
