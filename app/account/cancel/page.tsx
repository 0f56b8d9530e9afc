import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/current-user";
import { billingDay } from "@/lib/billing/billing-day";
import { CANCEL_REASONS, cancelScreen, NotYourSubscriptionError } from "@/lib/retention/cancel-flow";
import { acceptRetentionAction, cancelSubscriptionAction } from "./actions";

export const metadata: Metadata = { title: "Cancel subscription", robots: { index: false } };

const query = z.object({ subscription: z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/) });

/** One screen: the retention offer (at most once) beside "Cancel anyway", with an optional reason. */
export default async function CancelPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("/account");
  const parsed = query.safeParse(await searchParams);
  if (!parsed.success) notFound();
  const screen = await cancelScreen(await getDb(), user.id, parsed.data.subscription).catch((error: unknown) => {
    if (error instanceof NotYourSubscriptionError) notFound();
    throw error;
  });
  const { sub, retention } = screen;
  const end = sub.cancelAt ?? sub.currentPeriodEnd;
  const endText = end ? billingDay(end, sub.clockOffsetSeconds) : "the end of the period you paid for";
  return (
    <section className="page">
      <h1>Cancel your subscription</h1>
      <p>You keep full access until {endText}. Nothing more will be charged.</p>
      {retention && (
        <form action={acceptRetentionAction} className="retention-offer" aria-label="Before you go">
          <h2>Before you go</h2>
          <p data-testid="retention-offer">
            {retention.kind === "pause"
              ? `Pause instead: you keep reading until ${retention.paidThrough}, then nothing is charged and nothing can be read for ${retention.months} ${retention.months === 1 ? "month" : "months"}. On ${retention.resumes} your subscription resumes by itself with a new paid period.`
              : `Stay for less: ${retention.words}`}
          </p>
          <input type="hidden" name="subscription" value={sub.stripeSubscriptionId} />
          <button className="button" type="submit">
            {retention.kind === "pause" ? `Pause for ${retention.months} ${retention.months === 1 ? "month" : "months"}` : "Keep my subscription with this discount"}
          </button>
        </form>
      )}
      <form action={cancelSubscriptionAction} aria-label="Cancel">
        <input type="hidden" name="subscription" value={sub.stripeSubscriptionId} />
        <div className="field">
          <label htmlFor="reason">Why are you leaving? (optional)</label>
          <select id="reason" name="reason" defaultValue="">
            <option value="">Prefer not to say</option>
            {Object.entries(CANCEL_REASONS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button className="button button--secondary" type="submit">
          {retention ? "Cancel anyway" : "Cancel subscription"}
        </button>
      </form>
      <p>
        <a href="/account">Keep my subscription as it is</a>
      </p>
    </section>
  );
}
