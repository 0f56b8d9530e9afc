"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { InputField } from "../_components/field";
import { FormMessage } from "../_components/form-message";
import { grantAccessAction } from "./actions";

/** Complimentary access for one reader: a reason, and an optional last day. */
export function GrantForm({ userId }: { userId: string }) {
  const { state, pending, formProps, errors, submitted: typed } = useAdminForm(grantAccessAction, { resetOnSuccess: true });
  return (
    <form {...formProps} noValidate className="admin-form" aria-label="Grant complimentary access">
      <input type="hidden" name="userId" value={userId} />
      <FormMessage state={state} />
      <InputField name="reason" label="Reason" errors={errors} defaultValue={typed?.reason ?? ""} maxLength={300} required placeholder="Press pass, contest winner, apology…" />
      <InputField
        name="endsOn"
        label="Last day (optional)"
        errors={errors}
        hint="Access lasts through this day (UTC). Leave blank for access until revoked."
        type="date"
        defaultValue={typed?.endsOn ?? ""}
      />
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Granting…" : "Grant access"}
      </button>
    </form>
  );
}
