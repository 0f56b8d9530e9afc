"use client";

import { useActionState } from "react";
import { errorProps, FieldError } from "../_components/field-error";
import { FormMessage } from "../_components/form-message";
import { grantAccessAction } from "./actions";

/** Complimentary access for one reader: a reason, and an optional last day. */
export function GrantForm({ userId }: { userId: string }) {
  const [state, action, pending] = useActionState(grantAccessAction, undefined);
  const errors = state?.ok === false ? state.fieldErrors : undefined;
  const typed = state?.ok === false ? state.values : undefined;
  return (
    <form action={action} noValidate className="admin-form" aria-label="Grant complimentary access">
      <input type="hidden" name="userId" value={userId} />
      <FormMessage state={state} />
      <div className="field">
        <label htmlFor="reason">Reason</label>
        <input id="reason" name="reason" defaultValue={typed?.reason ?? ""} maxLength={300} required placeholder="Press pass, contest winner, apology…" {...errorProps("reason", errors)} />
        <FieldError name="reason" errors={errors} />
      </div>
      <div className="field">
        <label htmlFor="endsOn">Last day (optional)</label>
        <input id="endsOn" name="endsOn" type="date" defaultValue={typed?.endsOn ?? ""} aria-describedby={errors?.endsOn ? "endsOn-hint endsOn-error" : "endsOn-hint"} aria-invalid={errors?.endsOn ? true : undefined} />
        <p id="endsOn-hint" className="field-hint">
          Access lasts through this day (UTC). Leave blank for access until revoked.
        </p>
        <FieldError name="endsOn" errors={errors} />
      </div>
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Granting…" : "Grant access"}
      </button>
    </form>
  );
}
