import "server-only";
import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { recordConversion } from "@/lib/analytics/attribution";
import { readTouch } from "@/lib/analytics/attribution-cookie";
import type { Touch } from "@/lib/analytics/touch";

/**
 * A free account was created by signing in (Auth.js's createUser: a proven email link or OAuth
 * identity): the registration is credited to the registering browser's attribution touch.
 */
export async function recordRegistration(userId: string, now = new Date()): Promise<void> {
  try {
    await recordConversion(await getDb(), "registered", { touch: await browserTouch(), userId }, now);
  } catch (error) {
    // Analytics never stop a sign-in: the account stands, uncredited.
    console.error("A registration could not be credited:", error instanceof Error ? error.message : error);
  }
}

/** The signed attribution cookie of the request; none outside a request (tools, tests). */
async function browserTouch(): Promise<Touch | null> {
  try {
    return readTouch(await cookies());
  } catch {
    return null;
  }
}
