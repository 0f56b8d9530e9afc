"use client";

import { useActionState } from "react";
import { requestCancelLinksAction, type CancelRequestState } from "./actions";

/** The address (and, optionally, which subscription) to mail the cancel links to. */
export function CancelRequestForm() {
  const [state, action, pending] = useActionState<CancelRequestState, FormData>(requestCancelLinksAction, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} noValidate aria-label="Cancel by email">
      <div className="field">
        <label htmlFor="cancel-email">Email address of the subscription</label>
        <input
          id="cancel-email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state.email}
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={errors.email ? "cancel-email-error" : undefined}
        />
        {errors.email && (
          <p id="cancel-email-error" className="field-error" role="alert">
            {errors.email}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="cancel-subscription">Subscription number (optional)</label>
        <input
          id="cancel-subscription"
          name="subscription"
          type="text"
          defaultValue={state.subscription}
          aria-invalid={errors.subscription ? true : undefined}
          aria-describedby={errors.subscription ? "cancel-subscription-error" : "cancel-subscription-hint"}
        />
        <p id="cancel-subscription-hint" className="field-hint">
          It starts with sub_ and is on your receipt. Leave it empty and we mail a link for each subscription of this address.
        </p>
        {errors.subscription && (
          <p id="cancel-subscription-error" className="field-error" role="alert">
            {errors.subscription}
          </p>
        )}
      </div>
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
