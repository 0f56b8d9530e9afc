"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { FormMessage } from "../_components/form-message";
import { saveOfferPlacementAction } from "./actions";
import { OfferSelectField } from "./offer-select-field";

/** Where offers appear beyond their own page: codes typed at Stripe Checkout, and the paywall card's one offer. */
export function PlacementForm({ offers, current }: { offers: Array<{ id: number; label: string }>; current: { checkoutAcceptsCodes: boolean; featuredOfferId: number | null } }) {
  const { state, pending, formProps, errors } = useAdminForm(saveOfferPlacementAction);
  return (
    <form {...formProps} noValidate className="admin-form" aria-label="Where offers appear">
      <FormMessage state={state} />
      <label className="checkbox">
        <input type="checkbox" name="checkoutAcceptsCodes" defaultChecked={current.checkoutAcceptsCodes} aria-describedby="checkoutAcceptsCodes-hint" /> Readers may type an
        offer code at Checkout
      </label>
      <p id="checkoutAcceptsCodes-hint" className="field-hint">
        Only codes Stripe can hold to their terms work there: live offers that have started and are open to every plan on sale. Others work
        only from their own page.
      </p>
      <OfferSelectField
        name="featuredOfferId"
        label="The paywall card features"
        errors={errors}
        offers={offers}
        defaultValue={current.featuredOfferId?.toString() ?? ""}
        none="No offer (the plans only)"
      />
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save where offers appear"}
      </button>
    </form>
  );
}
