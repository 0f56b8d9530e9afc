"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { FormMessage } from "../_components/form-message";
import { setPlanGiftAllowanceAction } from "./actions";

/** One plan's monthly gift allowance. */
export function PlanAllowanceForm({ plan }: { plan: { id: number; name: string; active: boolean; giftAllowance: number } }) {
  const { state, pending, formProps } = useAdminForm(setPlanGiftAllowanceAction);
  const id = `gift-allowance-${plan.id}`;
  return (
    <form {...formProps} noValidate className="admin-inline-action" aria-label={`Gift allowance of ${plan.name}`}>
      <input type="hidden" name="planId" value={plan.id} />
      <label htmlFor={id}>
        {plan.name}
        {plan.active ? "" : " (archived)"}: gifts a month
      </label>{" "}
      <input id={id} name="giftAllowance" type="number" min={0} max={1000} step={1} defaultValue={plan.giftAllowance} />{" "}
      <button className="button button--secondary button--small" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
