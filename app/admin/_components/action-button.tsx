"use client";

import { useAdminForm } from "./use-admin-form";
import { FormMessage } from "./form-message";

type Result = { ok: boolean; message?: string };

/** One button posting a few hidden fields to an admin action, with its outcome next to it. */
export function ActionButton({
  action,
  fields,
  label,
  pendingLabel,
  secondary = true,
  ariaLabel,
}: {
  action: (previous: unknown, formData: FormData) => Promise<Result>;
  fields: Record<string, string | number>;
  label: string;
  pendingLabel: string;
  secondary?: boolean;
  ariaLabel?: string;
}) {
  const { state, pending, formProps } = useAdminForm(action);
  return (
    <form {...formProps} className="admin-inline-action">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button className={secondary ? "button button--secondary button--small" : "button button--small"} type="submit" disabled={pending} aria-label={ariaLabel}>
        {pending ? pendingLabel : label}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
