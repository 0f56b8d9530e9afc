"use client";

import { useActionState } from "react";
import { requestSignInLink, type SignInFormState } from "./actions";

export function SignInForm({ callbackUrl, submitLabel, newsletters = [] }: { callbackUrl: string; submitLabel: string; newsletters?: Array<{ id: number; name: string }> }) {
  const [state, action, pending] = useActionState<SignInFormState, FormData>(requestSignInLink, {});
  return (
    <form action={action} noValidate className="signin-form">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <div className="field">
        <label htmlFor="email">Email address</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state.email}
          aria-invalid={state.fieldError ? true : undefined}
          aria-describedby={state.fieldError ? "email-error" : undefined}
        />
        {state.fieldError && (
          <p id="email-error" className="field-error" role="alert">
            {state.fieldError}
          </p>
        )}
      </div>
      {newsletters.map((n) => (
        <p key={n.id} className="field">
          <label>
            <input type="checkbox" name="newsletter" value={n.id} defaultChecked /> Get the newsletter: {n.name}
          </label>
        </p>
      ))}
      {state.message && (
        <p className="form-message form-message--error" role="alert">
          {state.message}
        </p>
      )}
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Sending…" : submitLabel}
      </button>
    </form>
  );
}
