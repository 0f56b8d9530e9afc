"use client";

import { useAdminForm } from "../../_components/use-admin-form";
import { InputField } from "../../_components/field";
import { FormMessage } from "../../_components/form-message";
import { deleteReaderAction } from "../actions";

/** Deleting the account for a request received by mail: the admin types the reader's address to confirm. */
export function DeleteReaderForm({ userId, email }: { userId: string; email: string | null }) {
  const { state, pending, formProps } = useAdminForm(deleteReaderAction);
  const errors = state?.ok === false ? state.fieldErrors : undefined;
  return (
    <form {...formProps} noValidate className="admin-form" aria-label="Delete this reader's account">
      <input type="hidden" name="userId" value={userId} />
      <FormMessage state={state} />
      <InputField
        name="confirmation"
        label={email ? `Type ${email} to confirm` : "Type DELETE to confirm"}
        errors={errors}
        hint="Ends every subscription at once (a withdrawal with a refund within 14 days of buying, if that is on), erases the address, name, sign-ins, newsletters and meter, signs the reader out everywhere and mails a confirmation. Invoices and consent records are kept. It cannot be undone."
        autoComplete="off"
        maxLength={320}
        required
      />
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Deleting…" : "Delete this account"}
      </button>
    </form>
  );
}
