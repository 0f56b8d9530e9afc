"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { InputField } from "../_components/field";
import { FormMessage } from "../_components/form-message";
import { saveGiftSettingsAction } from "./actions";

/** Days a subscriber's gift lasts, and browsers that may open one. */
export function GiftSettingsForm({ validDays, browserLimit }: { validDays: number; browserLimit: number }) {
  const { state, pending, formProps, errors, submitted } = useAdminForm(saveGiftSettingsAction);
  return (
    <form {...formProps} noValidate className="admin-form" aria-label="Gift settings">
      <FormMessage state={state} />
      <InputField name="validDays" label="Days a gift link lasts" errors={errors} type="number" min={1} max={365} step={1} defaultValue={submitted?.validDays ?? validDays} />
      <InputField name="browserLimit" label="Browsers that may open one gift link" errors={errors} type="number" min={1} max={10000} step={1} defaultValue={submitted?.browserLimit ?? browserLimit} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save gift settings"}
      </button>
    </form>
  );
}
