import { billingDay } from "@/lib/billing/billing-day";
import { CANCEL_REASONS, type CancelScreen } from "@/lib/retention/cancel-flow";

/**
 * A subscription's cancel screen on /cancel for a signed-in reader (posting to /account/cancel, like
 * lib/reading/pages/cancel-page.ts, whose order it keeps): the cancel button
 * comes first, and the save offer, when there is one, stands beside it (never before it, never
 * as a second screen).
 */
export function CancelPanel({ screen, title }: { screen: CancelScreen; title?: string }) {
  const { sub, retention } = screen;
  const end = sub.cancelAt ?? sub.currentPeriodEnd;
  const endText = end ? billingDay(end, sub.clockOffsetSeconds) : "the end of the period you paid for";
  return (
    <section aria-label={title ?? "Cancel"} data-subscription={sub.stripeSubscriptionId}>
      {title && <h2>{title}</h2>}
      <p>You keep full access until {endText}. Nothing more will be charged.</p>
      <div className="cancel-choices">
        <form method="post" action="/account/cancel" aria-label="Cancel">
          <input type="hidden" name="subscription" value={sub.stripeSubscriptionId} />
          <div className="field">
            <label htmlFor={`reason-${sub.stripeSubscriptionId}`}>Why are you leaving? (optional)</label>
            <select id={`reason-${sub.stripeSubscriptionId}`} name="reason" defaultValue="">
              <option value="">Prefer not to say</option>
              {Object.entries(CANCEL_REASONS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <button className="button" type="submit" name="intent" value="cancel">
            {retention ? "Cancel anyway" : "Cancel subscription"}
          </button>
        </form>
        {retention && (
          <form method="post" action="/account/cancel" className="retention-offer" aria-label="Or stay">
            <h3>Or stay</h3>
            <p data-testid="retention-offer">
              {retention.kind === "pause"
                ? `Pause instead: you keep reading until ${retention.paidThrough}, then nothing is charged and nothing can be read for ${retention.months} ${retention.months === 1 ? "month" : "months"}. On ${retention.resumes} your subscription resumes by itself with a new paid period.`
                : `Stay for less: ${retention.words}`}
            </p>
            <input type="hidden" name="subscription" value={sub.stripeSubscriptionId} />
            <button className="button button--secondary" type="submit" name="intent" value="keep">
              {retention.kind === "pause" ? `Pause for ${retention.months} ${retention.months === 1 ? "month" : "months"}` : "Keep my subscription with this discount"}
            </button>
          </form>
        )}
      </div>
    </section>
  );
}
