"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/current-user";
import { acceptRetention, cancelAtPeriodEnd, cancelFormSchema, NotYourSubscriptionError, resumeSubscription } from "@/lib/retention/cancel-flow";

const subscriptionForm = z.object({ subscription: z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/) });

/** Runs a change of the caller's own subscription, then back to the account page saying what happened. */
async function finish(run: () => Promise<string>): Promise<never> {
  let outcome: string;
  try {
    outcome = await run();
  } catch (error) {
    if (!(error instanceof NotYourSubscriptionError)) console.error("Subscription change failed:", error);
    outcome = error instanceof NotYourSubscriptionError ? "invalid" : "unavailable";
  }
  redirect(`/account?billing=${outcome}`);
}

// Each action checks the caller itself (server actions are public POST endpoints) and parses its form.
export async function cancelSubscriptionAction(formData: FormData): Promise<void> {
  const user = await requireUser("/account");
  const input = cancelFormSchema.safeParse(Object.fromEntries(formData));
  if (!input.success) redirect("/account?billing=invalid");
  await finish(async () => {
    await cancelAtPeriodEnd(await getDb(), user.id, input.data.subscription, input.data.reason);
    return "cancelled";
  });
}

export async function acceptRetentionAction(formData: FormData): Promise<void> {
  const user = await requireUser("/account");
  const input = subscriptionForm.safeParse(Object.fromEntries(formData));
  if (!input.success) redirect("/account?billing=invalid");
  await finish(async () => acceptRetention(await getDb(), user.id, input.data.subscription));
}

export async function resumeSubscriptionAction(formData: FormData): Promise<void> {
  const user = await requireUser("/account");
  const input = subscriptionForm.safeParse(Object.fromEntries(formData));
  if (!input.success) redirect("/account?billing=invalid");
  await finish(async () => {
    const outcome = await resumeSubscription(await getDb(), user.id, input.data.subscription);
    return outcome === "declined" ? "resume_declined" : outcome === "already_subscribed" ? "resume_already_subscribed" : "resumed";
  });
}
