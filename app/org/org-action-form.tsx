"use client";

import { useActionState, type ReactNode } from "react";
import type { OrgActionState } from "./actions";

/** One /org form: hidden fields, its controls, a submit button and the answer, read out when it changes. */
export function OrgActionForm(props: {
  action: (previous: OrgActionState | null, formData: FormData) => Promise<OrgActionState>;
  fields?: Record<string, string | number>;
  submit: string;
  pendingLabel?: string;
  label: string;
  /** A second button that sends `step=preview` (the main one sends `step=send`). */
  previewLabel?: string;
  children?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(props.action, null);
  return (
    <form action={formAction} aria-label={props.label} className="org-form">
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.children}
      {props.previewLabel && (
        <button className="button button--secondary" type="submit" name="step" value="preview" disabled={pending}>
          {props.previewLabel}
        </button>
      )}{" "}
      <button className="button" type="submit" disabled={pending} {...(props.previewLabel ? { name: "step", value: "send" } : {})}>
        {pending ? (props.pendingLabel ?? "Working…") : props.submit}
      </button>
      <p role="status" className={state ? `form-message${state.ok ? "" : " form-message--error"}` : undefined} data-testid="org-message">
        {state?.message}
      </p>
    </form>
  );
}
