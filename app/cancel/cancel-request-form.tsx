"use client";

import { useActionState } from "react";
import { TextField } from "../_components/text-field";
import { requestCancelLinksAction, type CancelRequestState } from "./actions";

/** The address (and, optionally, which subscription) to mail the cancel links to. */
export function CancelRequestForm() {
  const [state, action, pending] = useActionState<CancelRequestState, FormData>(requestCancelLinksAction, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} noValidate aria-label="Cancel by email">
      <TextField id="cancel-email" name="email" label="Email address of the subscription" type="email" autoComplete="email" required defaultValue={state.email} error={errors.email} />
      <TextField
        id="cancel-subscription"
        name="subscription"
        label="Subscription number (optional)"
        type="text"
        defaultValue={state.subscription}
        error={errors.subscription}
        hint="It starts with sub_ and is on your receipt. Leave it empty and we mail a link for each subscription of this address."
      />
      {state.message && (
        <p className="form-message form-message--error" role="alert">
          {state.message}
        </p>
      )}
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Sending…" : "Email me a cancel link"}
      </button>
    </form>
  );
}
