import "server-only";
import { secureCookies } from "@/lib/http/cookies";
import { keyFor } from "@/lib/server-secret";
import { decodeMeter, encodeMeter, METER_COOKIE, type MeterState } from "./meter";

const DAY_SECONDS = 86_400;

type CookieJar = { get(name: string): { value: string } | undefined };
type CookieWriter = { set(name: string, value: string, options: Record<string, unknown>): unknown };

/** The anonymous reader's meter: a signed cookie, so nothing on the server is spent on them. */
export function readMeterCookie(cookies: CookieJar): MeterState | null {
  return decodeMeter(cookies.get(METER_COOKIE)?.value, keyFor("meter"));
}

/** Stores the meter a counted read spent; the cookie lives as long as the window. */
export function writeMeterCookie(cookies: CookieWriter, meter: MeterState, windowDays: number): void {
  cookies.set(METER_COOKIE, encodeMeter(meter, keyFor("meter")), {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(),
    path: "/",
    maxAge: windowDays * DAY_SECONDS,
  });
}
