"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { Field, InputField } from "../_components/field";
import { FieldError } from "../_components/field-error";
import { FormMessage } from "../_components/form-message";
import { createOfferAction } from "./actions";

export interface OfferFormPlan {
  id: number;
  label: string;
}

/** What the form starts with; an edit starts from the offer it replaces. */
export interface OfferFormValues {
  replaces: number | null;
  name: string;
  code: string;
  kind: "percent" | "amount" | "trial";
  percentOff: string;
  amountOff: string;
  trialDays: string;
  duration: "once" | "repeating" | "forever";
  durationMonths: string;
  planIds: number[];
  newCustomersOnly: boolean;
  startsAt: string;
  endsAt: string;
  maxRedemptions: string;
}

export const EMPTY_OFFER: OfferFormValues = {
  replaces: null,
  name: "",
  code: "",
  kind: "percent",
  percentOff: "",
  amountOff: "",
  trialDays: "",
  duration: "once",
  durationMonths: "",
  planIds: [],
  newCustomersOnly: true,
  startsAt: "",
  endsAt: "",
  maxRedemptions: "",
};

/** Creates an offer; with `replaces`, saving makes a new offer and archives the old one. */
export function OfferForm({ plans, initial }: { plans: OfferFormPlan[]; initial: OfferFormValues }) {
  const { state, formProps, errors, submitted: typed } = useAdminForm(createOfferAction, { resetOnSuccess: true });
  const value = (name: Exclude<keyof OfferFormValues, "planIds" | "newCustomersOnly" | "replaces">) => typed?.[name] ?? initial[name];
  // Ids carry the form's prefix: the page holds the retention form too.
  const text = (name: Parameters<typeof value>[0], label: string, extra: Record<string, string | number> = {}) => (
    <InputField name={name} id={`offer-${name}`} label={label} errors={errors} defaultValue={value(name)} {...extra} />
  );
  return (
    <form {...formProps} noValidate className="admin-form admin-offer-form" aria-label={initial.replaces ? "Edit offer" : "New offer"}>
      {initial.replaces !== null && <input type="hidden" name="replaces" value={initial.replaces} />}
      <FormMessage state={state} />
      {text("name", "Name", { maxLength: 60 })}
      {text("code", "Code (the link is /offer/CODE)", { maxLength: 40, autoCapitalize: "characters" })}
      <Field name="kind" id="offer-kind" label="Type" errors={errors}>
        {(control) => (
          <select {...control} defaultValue={value("kind")}>
            <option value="percent">Percent off</option>
            <option value="amount">Amount off</option>
            <option value="trial">Free trial</option>
          </select>
        )}
      </Field>
      <div className="admin-plan-form__row">
        {text("percentOff", "Percent off (percent offers)", { inputMode: "numeric" })}
        {text("amountOff", "Amount off, in the plans' currency (amount offers)", { inputMode: "decimal", placeholder: "6.00" })}
        {text("trialDays", "Free days (trial offers)", { inputMode: "numeric" })}
      </div>
      <div className="admin-plan-form__row">
        <Field name="duration" id="offer-duration" label="Discount lasts" errors={errors}>
          {(control) => (
            <select {...control} defaultValue={value("duration")}>
              <option value="once">The first payment</option>
              <option value="repeating">A number of months</option>
              <option value="forever">Forever</option>
            </select>
          )}
        </Field>
        {text("durationMonths", "Months (when it lasts a number of months)", { inputMode: "numeric" })}
      </div>
      <fieldset className="field" aria-describedby={errors?.planIds ? "offer-planIds-error" : undefined}>
        <legend>Eligible plans</legend>
        {plans.map((plan) => (
          <label key={plan.id} className="checkbox">
            <input type="checkbox" name="planIds" value={plan.id} defaultChecked={initial.planIds.includes(plan.id)} /> {plan.label}
          </label>
        ))}
        <FieldError name="planIds" id="offer-planIds" errors={errors} />
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" name="newCustomersOnly" defaultChecked={initial.newCustomersOnly} /> New customers only
      </label>
      <div className="admin-plan-form__row">
        {text("startsAt", "Starts (YYYY-MM-DD, optional)", { placeholder: "2026-12-01" })}
        {text("endsAt", "Ends after (YYYY-MM-DD, optional)", { placeholder: "2026-12-31" })}
        {text("maxRedemptions", "Maximum redemptions (optional)", { inputMode: "numeric" })}
      </div>
      <button className="button" type="submit">
        {initial.replaces ? "Save as a new offer" : "Create offer"}
      </button>
    </form>
  );
}
