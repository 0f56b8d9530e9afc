"use client";

import { useActionState } from "react";
import { FormMessage } from "../_components/form-message";
import { saveRetentionAction } from "./actions";

/** The one retention offer of the cancel screen: none, a discount offer, or a pause of 1–3 months. */
export function RetentionForm({ offers, current }: { offers: Array<{ id: number; label: string }>; current: { kind: string; offerId: string; pauseMonths: string } }) {
  const [state, action] = useActionState(saveRetentionAction, undefined);
  const errors = state?.ok === false ? state.fieldErrors : undefined;
  const error = (name: string) =>
    errors?.[name] ? (
      <p id={`retention-${name}-error`} className="field-error" role="alert">
        {errors[name]}
      </p>
    ) : null;
  return (
    <form action={action} noValidate className="admin-form" aria-label="Retention offer">
      <FormMessage state={state} />
      <div className="field">
        <label htmlFor="retention-kind">The cancel screen offers</label>
        <select id="retention-kind" name="kind" defaultValue={current.kind}>
          <option value="none">Nothing (straight to cancel)</option>
          <option value="discount">A discount offer</option>
          <option value="pause">A pause</option>
        </select>
      </div>
      <div className="admin-plan-form__row">
        <div className="field">
          <label htmlFor="retention-offerId">Discount offer</label>
          <select id="retention-offerId" name="offerId" defaultValue={current.offerId} aria-invalid={errors?.offerId ? true : undefined}>
            <option value="">—</option>
            {offers.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
          {error("offerId")}
        </div>
        <div className="field">
          <label htmlFor="retention-pauseMonths">Pause for</label>
          <select id="retention-pauseMonths" name="pauseMonths" defaultValue={current.pauseMonths} aria-invalid={errors?.pauseMonths ? true : undefined}>
            <option value="">—</option>
            <option value="1">1 month</option>
            <option value="2">2 months</option>
            <option value="3">3 months</option>
          </select>
          {error("pauseMonths")}
        </div>
      </div>
      <button className="button" type="submit">
        Save retention offer
      </button>
    </form>
  );
}
