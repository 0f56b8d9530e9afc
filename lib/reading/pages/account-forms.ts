import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { deleteAllSessions, deleteSession } from "@/lib/auth/sessions";
import { newsletterIdList } from "@/lib/newsletters/fields";
import { setSubscriptions, unsubscribe } from "@/lib/newsletters/subscriptions";
import { NotYourSubscriptionError, resumeSubscription } from "@/lib/retention/cancel-flow";
import { SESSION_COOKIE_NAMES, sessionTokenFrom } from "@/lib/http/cookies";
import { READER_HINT_COOKIE } from "@/lib/ui/site-chrome";
import { accountPageResponse } from "./account-page";
import { readerForm } from "./reader-form";
import { seeOther } from "./reader-page";

// The account page's forms are plain HTML posts to these handlers: each checks the post's origin
// and the session (readerForm), parses its fields with zod, and answers 303 to a page that says what happened.

const signOutForm = z.object({ scope: z.enum(["here", "everywhere"]) });

/** Sign out: this device, or every device of the caller (never anyone else's: the user comes from the session). */
export async function signOutResponse(request: NextRequest): Promise<Response> {
  const posted = await readerForm(request, "/account");
  if (posted instanceof Response) return posted;
  const form = signOutForm.safeParse(Object.fromEntries(posted.form));
  if (!form.success) return seeOther("/account?billing=unchanged");
  if (form.data.scope === "everywhere") await deleteAllSessions(posted.user.id);
  else await deleteSession(posted.user.id, sessionTokenFrom(request.cookies)!);
  // On our public address (SITE_URL), like every redirect here: the address Next sees may be another name for the host.
  const response = NextResponse.redirect(new URL(form.data.scope === "everywhere" ? "/signin?signedOut=everywhere" : "/", env().SITE_URL), 303);
  for (const name of [...SESSION_COOKIE_NAMES, READER_HINT_COOKIE]) if (request.cookies.has(name)) response.cookies.delete(name);
  return response;
}

const subscriptionForm = z.object({ subscription: z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/) });

/** Resume a paused or ending subscription of the caller's own, then back to the account page saying what happened. */
export async function resumeResponse(request: NextRequest): Promise<Response> {
  const posted = await readerForm(request, "/account");
  if (posted instanceof Response) return posted;
  const input = subscriptionForm.safeParse(Object.fromEntries(posted.form));
  if (!input.success) return seeOther("/account?billing=invalid");
  return seeOther(`/account?billing=${await subscriptionChange(async () => {
    const outcome = await resumeSubscription(await getDb(), posted.user.id, input.data.subscription);
    return outcome === "declined" ? "resume_declined" : outcome === "already_subscribed" ? "resume_already_subscribed" : "resumed";
  })}`);
}

/** Runs a change of the caller's own subscription; the outcome's key for the account page. */
export async function subscriptionChange(run: () => Promise<string>): Promise<string> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof NotYourSubscriptionError) return "invalid";
    console.error("Subscription change failed:", error);
    return "unavailable";
  }
}

const newsletterForm = z.object({ intent: z.enum(["save", "unsubscribe-all"]), newsletters: newsletterIdList });

/** The signed-in reader's own lists. Bad input changes nothing: the page again, with the boxes as they were ticked. */
export async function newslettersResponse(request: NextRequest): Promise<Response> {
  const posted = await readerForm(request, "/account");
  if (posted instanceof Response) return posted;
  const form = newsletterForm.safeParse({ intent: posted.form.get("intent") ?? "save", newsletters: posted.form.getAll("newsletter") });
  if (!form.success) {
    const ticked = posted.form.getAll("newsletter").map(Number).filter(Number.isInteger);
    return accountPageResponse(request, { ticked, error: "Those newsletters could not be saved: choose from the lists below." });
  }
  const db = await getDb();
  if (form.data.intent === "unsubscribe-all") await unsubscribe(db, posted.user.id, null);
  else await setSubscriptions(db, posted.user.id, form.data.newsletters);
  return seeOther("/account?billing=newsletters#newsletters-heading");
}
