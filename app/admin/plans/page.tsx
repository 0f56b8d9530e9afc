import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listPlansForAdmin } from "@/lib/admin/plans/queries";
import { requireAdmin } from "@/lib/auth/current-user";
import { formatMoney, moneyInputValue } from "@/lib/billing/money";
import { ActionButton } from "../_components/action-button";
import { movePlanAction, setPlanActiveAction, pushPlanAction } from "./actions";
import { PlanForm } from "./plan-form";

export const metadata: Metadata = { title: "Plans · Admin" };

export default async function PlansPage() {
  await requireAdmin();
  const plans = await listPlansForAdmin(await getDb());
  return (
    <section className="admin-page admin-page--wide">
      <h1>Plans</h1>
      <p>
        What the paywall sells, in this order. Changes reach Stripe at once and the paywall on the next page view. Subscriber counts
        include active, trialing and past-due subscriptions.
      </p>
      {plans.length === 0 && <p>No plans yet.</p>}
      <ol className="admin-plans" role="list">
        {plans.map((plan, i) => {
          const current = plan.prices.find((p) => p.current);
          return (
            <li key={plan.id} className={plan.active ? "admin-plan" : "admin-plan admin-plan--archived"} data-plan={plan.name}>
              <header className="admin-plan__header">
                <h2>
                  {plan.name} <span className={`badge ${plan.active ? "admin-status--published" : "admin-status--draft"}`}>{plan.active ? "On sale" : "Archived"}</span>
                </h2>
                <p className="admin-plan__price">
                  {formatMoney(plan.amount, plan.currency)} / {plan.interval}
                  {plan.trialDays > 0 && ` · ${plan.trialDays}-day trial`} · position {i + 1}
                </p>
              </header>
              {plan.needsPush && (
                <div className="admin-sync-warning" role="alert">
                  <p>
                    <strong>Not in sync with Stripe.</strong>{" "}
                    {plan.active ? "Readers cannot buy this plan at its current terms until it is synced." : "Its Stripe price is still on sale."}
                  </p>
                  <ActionButton action={pushPlanAction} fields={{ id: plan.id }} label="Retry sync" pendingLabel="Syncing…" secondary={false} />
                </div>
              )}
              <div className="actions admin-plan__actions">
                <ActionButton action={movePlanAction} fields={{ id: plan.id, direction: "up" }} label="Move up" pendingLabel="Moving…" ariaLabel={`Move ${plan.name} up`} />
                <ActionButton action={movePlanAction} fields={{ id: plan.id, direction: "down" }} label="Move down" pendingLabel="Moving…" ariaLabel={`Move ${plan.name} down`} />
                <ActionButton
                  action={setPlanActiveAction}
                  fields={{ id: plan.id, active: plan.active ? "false" : "true" }}
                  label={plan.active ? "Archive" : "Unarchive"}
                  pendingLabel="Saving…"
                  ariaLabel={`${plan.active ? "Archive" : "Unarchive"} ${plan.name}`}
                />
                {!plan.needsPush && <ActionButton action={pushPlanAction} fields={{ id: plan.id }} label="Sync with Stripe" pendingLabel="Syncing…" ariaLabel={`Sync ${plan.name} with Stripe`} />}
              </div>
              <table className="admin-table admin-prices">
                <caption>Stripe prices of {plan.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Price</th>
                    <th scope="col">Stripe price</th>
                    <th scope="col">State</th>
                    <th scope="col">Subscribers on it</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.prices.length === 0 ? (
                    <tr>
                      <td colSpan={4}>No Stripe price yet.</td>
                    </tr>
                  ) : (
                    plan.prices.map((price) => (
                      <tr key={price.stripePriceId} data-price={price.stripePriceId}>
                        <td>
                          {formatMoney(price.amount, price.currency)} / {price.interval}
                        </td>
                        <td>
                          <code>{price.stripePriceId}</code>
                        </td>
                        <td>{price.current ? "Current" : price.active ? "Active" : "Archived (existing subscribers keep it)"}</td>
                        <td data-testid="price-subscribers">{price.subscribers}</td>
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
              <details className="admin-plan__edit">
                <summary>Edit {plan.name}</summary>
                <PlanForm
                  plan={{
                    id: plan.id,
                    name: plan.name,
                    description: plan.description ?? "",
                    features: plan.features.join("\n"),
                    amount: moneyInputValue(plan.amount, plan.currency),
                    currency: plan.currency,
                    interval: plan.interval,
                    trialDays: String(plan.trialDays),
                    trialPerPlan: plan.trialPerPlan,
                    familyAccounts: plan.familyAccounts,
                    onCurrentPrice: current?.subscribers ?? 0,
                  }}
                />
              </details>
            </li>
          );
        })}
      </ol>
      <section className="admin-plan-new" aria-labelledby="new-plan-heading">
        <h2 id="new-plan-heading">New plan</h2>
        <PlanForm />
      </section>
    </section>
  );
}
