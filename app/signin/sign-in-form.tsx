"use client";

import { useActionState } from "react";
import { TextField } from "../_components/text-field";
import { requestSignInLink, type SignInFormState } from "./actions";

export function SignInForm({ callbackUrl, submitLabel, newsletters = [] }: { callbackUrl: string; submitLabel: string; newsletters?: Array<{ id: number; name: string }> }) {
  const [state, action, pending] = useActionState<SignInFormState, FormData>(requestSignInLink, {});
  return (
    <form action={action} noValidate className="signin-form">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <TextField id="email" name="email" label="Email address" type="email" autoComplete="email" required defaultValue={state.email} error={state.fieldError} />
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
