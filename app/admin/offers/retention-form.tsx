"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { Field } from "../_components/field";
import { FormMessage } from "../_components/form-message";
import { saveRetentionAction } from "./actions";
import { OfferSelectField } from "./offer-select-field";

/** The one retention offer of the cancel screen: none, a discount offer, or a pause of 1–3 months. */
export function RetentionForm({ offers, current }: { offers: Array<{ id: number; label: string }>; current: { kind: string; offerId: string; pauseMonths: string } }) {
  const { state, formProps, errors } = useAdminForm(saveRetentionAction);
  return (
    <form {...formProps} noValidate className="admin-form" aria-label="Retention offer">
      <FormMessage state={state} />
      <Field name="kind" id="retention-kind" label="The cancel screen offers">
        {(control) => (
          <select {...control} defaultValue={current.kind}>
            <option value="none">Nothing (straight to cancel)</option>
            <option value="discount">A discount offer</option>
            <option value="pause">A pause</option>
          </select>
        )}
      </Field>
      <div className="admin-plan-form__row">
        <OfferSelectField name="offerId" id="retention-offerId" label="Discount offer" errors={errors} offers={offers} defaultValue={current.offerId} none="—" />
        <Field name="pauseMonths" id="retention-pauseMonths" label="Pause for" errors={errors}>
          {(control) => (
            <select {...control} defaultValue={current.pauseMonths}>
              <option value="">—</option>
              <option value="1">1 month</option>
              <option value="2">2 months</option>
              <option value="3">3 months</option>
            </select>
          )}
        </Field>
      </div>
      <button className="button" type="submit">
        Save retention offer
      </button>
    </form>
  );
}
