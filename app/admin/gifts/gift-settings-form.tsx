"use client";

import { useActionState } from "react";
import { errorProps, FieldError } from "../_components/field-error";
import { FormMessage } from "../_components/form-message";
import { saveGiftSettingsAction } from "./actions";

/** Days a subscriber's gift lasts, and browsers that may open one. */
export function GiftSettingsForm({ validDays, browserLimit }: { validDays: number; browserLimit: number }) {
  const [state, action, pending] = useActionState(saveGiftSettingsAction, undefined);
  const errors = state?.ok === false ? state.fieldErrors : undefined;
  const submitted = state?.ok === false ? state.values : undefined;
  return (
    <form action={action} noValidate className="admin-form" aria-label="Gift settings">
      <FormMessage state={state} />
      <div className="field">
        <label htmlFor="validDays">Days a gift link lasts</label>
        <input id="validDays" name="validDays" type="number" min={1} max={365} step={1} defaultValue={submitted?.validDays ?? validDays} {...errorProps("validDays", errors)} />
        <FieldError name="validDays" errors={errors} />
      </div>
      <div className="field">
        <label htmlFor="browserLimit">Browsers that may open one gift link</label>
        <input id="browserLimit" name="browserLimit" type="number" min={1} max={10000} step={1} defaultValue={submitted?.browserLimit ?? browserLimit} {...errorProps("browserLimit", errors)} />
        <FieldError name="browserLimit" errors={errors} />
      </div>
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save gift settings"}
      </button>
    </form>
  );
}
