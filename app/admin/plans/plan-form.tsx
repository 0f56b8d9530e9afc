"use client";

import { useActionState } from "react";
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
  /** Subscribers on the current price (edit only), for the note next to the price. */
  onCurrentPrice: number;
}

const CURRENCIES = ["usd", "eur", "gbp", "cad", "aud", "jpy"] as const;

/** Creates a plan, or edits one in place (several on one page: every id is prefixed). */
export function PlanForm({ plan }: { plan?: PlanFormValues }) {
  const [state, action, pending] = useActionState(plan ? updatePlanAction : createPlanAction, undefined);
  const errors = state?.ok === false ? state.fieldErrors : undefined;
  const typed = state?.ok === false ? state.values : undefined;
  const prefix = plan ? `plan-${plan.id}` : "new-plan";
  const field = (name: string) => {
    const error = errors?.[name];
    return {
      id: `${prefix}-${name}`,
      name,
      ...(error ? { "aria-invalid": true as const, "aria-describedby": `${prefix}-${name}-error` } : {}),
    };
  };
  const error = (name: string) =>
    errors?.[name] ? (
      <p id={`${prefix}-${name}-error`} className="field-error" role="alert">
        {errors[name]}
      </p>
    ) : null;
  const value = (name: keyof PlanFormValues, fallback: string) => typed?.[name] ?? (plan ? String(plan[name]) : fallback);

  return (
    <form action={action} noValidate className="admin-form admin-plan-form" aria-label={plan ? `Edit ${plan.name}` : "New plan"}>
      {plan && <input type="hidden" name="id" value={plan.id} />}
      <FormMessage state={state} />
      <div className="field">
        <label htmlFor={`${prefix}-name`}>Name</label>
        <input {...field("name")} defaultValue={value("name", "")} maxLength={60} required />
        {error("name")}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-description`}>Description</label>
        <input {...field("description")} defaultValue={value("description", "")} maxLength={300} />
        {error("description")}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-features`}>Features (one per line)</label>
        <textarea {...field("features")} defaultValue={value("features", "")} rows={3} />
        {error("features")}
      </div>
      <div className="admin-plan-form__row">
        <div className="field">
          <label htmlFor={`${prefix}-amount`}>Price{plan ? ` (${plan.currency.toUpperCase()})` : ""}</label>
          <input {...field("amount")} defaultValue={value("amount", "")} inputMode="decimal" placeholder="9.50" required aria-describedby={`${prefix}-amount-note${errors?.amount ? ` ${prefix}-amount-error` : ""}`} />
          {error("amount")}
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-interval`}>Billed every</label>
          <select {...field("interval")} defaultValue={value("interval", "month")}>
            <option value="month">month</option>
            <option value="year">year</option>
          </select>
          {error("interval")}
        </div>
        {!plan && (
          <div className="field">
            <label htmlFor={`${prefix}-currency`}>Currency</label>
            <select {...field("currency")} defaultValue={value("currency", "usd")}>
              {CURRENCIES.map((c) => (
                <option key={c} value={c}>
                  {c.toUpperCase()}
                </option>
              ))}
            </select>
            {error("currency")}
          </div>
        )}
        <div className="field">
          <label htmlFor={`${prefix}-trialDays`}>Trial days</label>
          <input {...field("trialDays")} defaultValue={value("trialDays", "0")} inputMode="numeric" />
          {error("trialDays")}
        </div>
      </div>
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
