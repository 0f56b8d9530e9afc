"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { CurrencyField, Field, InputField } from "../_components/field";
import { FormMessage } from "../_components/form-message";
import { createOrganisationAction, updateOrganisationAction } from "./actions";

export interface OrganisationFormValues {
  id: number;
  name: string;
  seats: string;
  termStart: string;
  termEnd: string;
  amount: string;
  currency: string;
  managers: string;
  domains: string;
  ipRanges: string;
}

/** Creates an organisation, or edits one (several on one page: every id is prefixed). */
export function OrganisationForm({ organisation }: { organisation?: OrganisationFormValues }) {
  const { state, pending, formProps, errors, submitted: typed } = useAdminForm(organisation ? updateOrganisationAction : createOrganisationAction, { resetOnSuccess: !organisation });
  const prefix = organisation ? `organisation-${organisation.id}` : "new-organisation";
  const value = (name: keyof OrganisationFormValues, fallback: string) => typed?.[name] ?? (organisation ? String(organisation[name]) : fallback);
  const list = (name: "managers" | "domains" | "ipRanges", label: string, hint: string, placeholder: string) => (
    <Field name={name} id={`${prefix}-${name}`} label={label} errors={errors} hint={hint}>
      {(control) => <textarea {...control} defaultValue={value(name, "")} rows={3} placeholder={placeholder} />}
    </Field>
  );

  return (
    <form {...formProps} noValidate className="admin-form" aria-label={organisation ? `Edit ${organisation.name}` : "New organisation"}>
      {organisation && <input type="hidden" name="id" value={organisation.id} />}
      <FormMessage state={state} />
      <InputField name="name" id={`${prefix}-name`} label="Name" errors={errors} defaultValue={value("name", "")} maxLength={120} required />
      <div className="admin-plan-form__row">
        <InputField name="seats" id={`${prefix}-seats`} label="Seats" errors={errors} defaultValue={value("seats", "")} inputMode="numeric" required />
        <InputField name="termStart" id={`${prefix}-termStart`} label="Term starts" type="date" errors={errors} defaultValue={value("termStart", "")} required />
        <InputField name="termEnd" id={`${prefix}-termEnd`} label="Term ends" type="date" errors={errors} defaultValue={value("termEnd", "")} required />
        <InputField name="amount" id={`${prefix}-amount`} label="Price for the term" errors={errors} defaultValue={value("amount", "")} inputMode="decimal" placeholder="12000.00" required />
        <CurrencyField id={`${prefix}-currency`} errors={errors} defaultValue={value("currency", "usd")} />
      </div>
      <p className="field-hint">Invoiced by you for the price and term entered here. Reading runs from 00:00 UTC on the first day until 00:00 UTC on the end day.</p>
      {list("managers", "Managers (email addresses)", "One per line. A manager signs in with a verified address to invite and remove members at /org.", "it@example.org")}
      {list("domains", "Allowed email domains", "One per line: a verified address whose part after @ is exactly one of these may join. List a subdomain to admit it.", "example.org")}
      {list("ipRanges", "IP ranges (IPv4 and IPv6 CIDR)", "One per line: requests from these addresses read in full without an account (as far as TRUSTED_PROXIES lets us know the address).", "192.0.2.0/24")}
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : organisation ? "Save organisation" : "Create organisation"}
      </button>
    </form>
  );
}
