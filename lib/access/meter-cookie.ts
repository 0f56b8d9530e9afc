import { keyFor } from "@/lib/server-secret";
import { decodeMeter, METER_COOKIE, type MeterState } from "./meter";

type CookieJar = { get(name: string): { value: string } | undefined };

/** The anonymous reader's verified meter from their cookie, or null. */
export function readMeterCookie(cookies: CookieJar): MeterState | null {
  return decodeMeter(cookies.get(METER_COOKIE)?.value, keyFor("meter"));
}
