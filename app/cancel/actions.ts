"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { clientAddress } from "@/lib/http/client-address";
import { cancelRequestSchema, requestCancelLinks } from "@/lib/retention/cancel-requests";

export type CancelRequestState = { email?: string; subscription?: string; fieldErrors?: { email?: string; subscription?: string }; message?: string };

/**
 * Public: anyone may ask for cancel links. Parsed, rate limited, and the same answer whatever
 * the address owns: the links are decided after it (lib/retention/cancel-requests.ts).
 */
export async function requestCancelLinksAction(_previous: CancelRequestState, submitted: FormData): Promise<CancelRequestState> {
  // A server action is a public endpoint: its arguments are whatever was posted.
  const formData = submitted instanceof FormData ? submitted : new FormData();
  const typed = { email: String(formData.get("email") ?? "").slice(0, 254), subscription: String(formData.get("subscription") ?? "").slice(0, 255) };
  const parsed = cancelRequestSchema.safeParse(typed);
  if (!parsed.success) {
    const fieldErrors: NonNullable<CancelRequestState["fieldErrors"]> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === "email" || field === "subscription") && !fieldErrors[field]) fieldErrors[field] = issue.message;
    }
    return { ...typed, fieldErrors };
  }
  const outcome = await requestCancelLinks(await getDb(), parsed.data, clientAddress(await headers()));
  if (!outcome.ok) {
    return { ...typed, message: `Too many cancel links were asked for. Please wait ${outcome.retryAfterMinutes} ${outcome.retryAfterMinutes === 1 ? "minute" : "minutes"} and try again.` };
  }
  redirect("/cancel/sent");
}
