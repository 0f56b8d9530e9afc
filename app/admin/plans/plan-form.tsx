"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { CurrencyField, Field, InputField } from "../_components/field";
import { FormMessage } from "../_components/form-message";
import { createPlanAction, updatePlanAction } from "./actions";

export interface PlanFormValues {
  id: number;
  name: string;
  description: string;
  features: string;
  amount: string;
  currency: string;
  interval: "month" | "year";
  trialDays: string;
  trialPerPlan: boolean;
  /** Accounts on one subscription, the payer included; null: not a family plan. */
  familyAccounts: number | null;
  /** Subscribers on the current price (edit only), for the note next to the price. */
  onCurrentPrice: number;
}

/** Creates a plan, or edits one in place (several on one page: every id is prefixed). */
export function PlanForm({ plan }: { plan?: PlanFormValues }) {
  const { state, pending, formProps, errors, submitted: typed } = useAdminForm(plan ? updatePlanAction : createPlanAction, { resetOnSuccess: !plan });
  const prefix = plan ? `plan-${plan.id}` : "new-plan";
  const value = (name: keyof PlanFormValues, fallback: string) => typed?.[name] ?? (plan ? String(plan[name]) : fallback);

  return (
    <form {...formProps} noValidate className="admin-form admin-plan-form" aria-label={plan ? `Edit ${plan.name}` : "New plan"}>
      {plan && <input type="hidden" name="id" value={plan.id} />}
      <FormMessage state={state} />
      <InputField name="name" id={`${prefix}-name`} label="Name" errors={errors} defaultValue={value("name", "")} maxLength={60} required />
      <InputField name="description" id={`${prefix}-description`} label="Description" errors={errors} defaultValue={value("description", "")} maxLength={300} />
      <Field name="features" id={`${prefix}-features`} label="Features (one per line)" errors={errors}>
        {(control) => <textarea {...control} defaultValue={value("features", "")} rows={3} />}
      </Field>
      <div className="admin-plan-form__row">
        <Field name="amount" id={`${prefix}-amount`} label={`Price${plan ? ` (${plan.currency.toUpperCase()})` : ""}`} errors={errors}>
          {(control) => (
            // The note under the whole row describes the price too.
            <input
              {...control}
              defaultValue={value("amount", "")}
              inputMode="decimal"
              placeholder="9.50"
              required
              aria-describedby={[`${prefix}-amount-note`, control["aria-describedby"]].filter(Boolean).join(" ")}
            />
          )}
        </Field>
        <Field name="interval" id={`${prefix}-interval`} label="Billed every" errors={errors}>
          {(control) => (
            <select {...control} defaultValue={value("interval", "month")}>
              <option value="month">month</option>
              <option value="year">year</option>
            </select>
          )}
        </Field>
        {!plan && (
          <CurrencyField id={`${prefix}-currency`} errors={errors} defaultValue={value("currency", "usd")} />
        )}
        <InputField name="trialDays" id={`${prefix}-trialDays`} label="Trial days" errors={errors} defaultValue={value("trialDays", "0")} inputMode="numeric" />
      </div>
      <label className="checkbox">
        <input type="checkbox" name="trialPerPlan" defaultChecked={typed ? typed.trialPerPlan === "on" : (plan?.trialPerPlan ?? false)} /> A reader who had a
        trial on another plan may have one on this plan too (by default: one trial per account, ever)
      </label>
      <label className="checkbox">
        <input type="checkbox" name="family" defaultChecked={typed ? typed.family === "on" : plan?.familyAccounts != null} /> A family plan: the subscriber
        invites others by email, each with their own login
      </label>
      <InputField
        name="familyAccounts"
        id={`${prefix}-familyAccounts`}
        label="Family: up to this many accounts, the payer included"
        errors={errors}
        defaultValue={typed?.familyAccounts ?? String(plan?.familyAccounts ?? 4)}
        inputMode="numeric"
      />
      <p id={`${prefix}-amount-note`} className="field-hint admin-price-note">
        {plan
          ? `Stripe prices cannot change: a new price or interval creates a new Stripe price for new subscribers and archives the old one. Existing subscribers stay on their old price (${plan.onCurrentPrice} on the current one now).`
          : "The currency is fixed once the plan is created. Amounts are exact: 9.50 is 950 cents."}
      </p>
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : plan ? "Save plan" : "Create plan"}
      </button>
    </form>
  );
}
