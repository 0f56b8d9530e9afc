"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { Field, InputField } from "../_components/field";
import { FormMessage } from "../_components/form-message";
import { createSegmentAction, updateSegmentAction } from "./actions";

export interface SegmentFormChoices {
  offers: Array<{ id: number; name: string; code: string }>;
  referrers: readonly string[];
  frequencies: readonly string[];
  devices: readonly string[];
}

/** The form's fields as text (and ticked boxes as lists), from a saved rule or blank. */
export type SegmentFormValues = Record<string, string | string[]>;

const YES_NO = [
  ["", "Any"],
  ["yes", "Yes"],
  ["no", "No"],
] as const;

/** A new rule, or (with `id`) a rule's edit: conditions (blank: any), then the paywall settings it sets (blank: the site's). */
export function SegmentForm({ choices, id, initial = {} }: { choices: SegmentFormChoices; id?: number; initial?: SegmentFormValues }) {
  const { state, pending, formProps } = useAdminForm(id ? updateSegmentAction : createSegmentAction, { resetOnSuccess: !id });
  const errors = state?.ok === false ? state.fieldErrors : undefined;
  const typed = state?.ok === false ? state.values : undefined;
  const prefix = id ? `segment-${id}` : "new-segment";
  const value = (name: string) => typed?.[name] ?? (typeof initial[name] === "string" ? (initial[name] as string) : "");
  const ticked = (name: string, option: string) => (typed ? typed[name] === option : Array.isArray(initial[name]) ? (initial[name] as string[]).includes(option) : false);
  const input = (key: string, label: string, extra: Record<string, unknown> = {}) => <InputField name={key} id={`${prefix}-${key}`} label={label} errors={errors} defaultValue={value(key)} {...extra} />;
  const boxes = (key: string, legend: string, options: readonly string[]) => (
    <fieldset className="admin-fieldset" aria-describedby={errors?.[key] ? `${prefix}-${key}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option} className="checkbox">
          <input type="checkbox" name={key} value={option} defaultChecked={ticked(key, option)} /> {option}
        </label>
      ))}
      {errors?.[key] && (
        <p id={`${prefix}-${key}-error`} className="field-error">
          {errors[key]}
        </p>
      )}
    </fieldset>
  );
  const select = (key: string, label: string, options: ReadonlyArray<readonly [string, string]>) => (
    <Field name={key} id={`${prefix}-${key}`} label={label} errors={errors}>
      {(control) => (
        <select {...control} defaultValue={value(key)}>
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <form {...formProps} noValidate className="admin-form" aria-label={id ? "Edit segment rule" : "New segment rule"}>
      <FormMessage state={state} />
      {id && <input type="hidden" name="id" value={id} />}
      {input("name", "Name", { maxLength: 120, required: true })}
      <fieldset className="admin-fieldset">
        <legend>Who it matches (leave a condition blank for any)</legend>
        {boxes("referrer", "Arriving from", choices.referrers)}
        <div className="admin-plan-form__row">
          {select("signedIn", "Signed in", YES_NO)}
          {select("newsletter", "Newsletter subscriber", YES_NO)}
        </div>
        {boxes("frequency", "Visit frequency (articles read this meter window: none, 1–4, 5 or more)", choices.frequencies)}
        {boxes("device", "Device", choices.devices)}
        {input("countries", "Countries", { placeholder: "DE, AT", hint: "Two-letter codes, from the proxy's country header (COUNTRY_HEADER); a rule naming countries never matches without it." })}
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>What it sets (leave a setting blank to keep the site&apos;s)</legend>
        <div className="admin-plan-form__row">
          {input("anonymousLimit", "Free articles, anonymous", { inputMode: "numeric" })}
          {input("registeredLimit", "Free articles, registered", { inputMode: "numeric" })}
          {input("leadInBlocks", "Lead-in (blocks)", { inputMode: "numeric", hint: "For articles without their own lead-in." })}
        </div>
        {select("registrationWall", "Registration wall", [
          ["", "The site's (offer registration when it reads more)"],
          ["on", "On: anonymous readers register to read"],
          ["off", "Off: never ask to register"],
        ])}
        {input("heading", "Paywall heading", { maxLength: 120 })}
        {input("body", "Paywall text", { maxLength: 600 })}
        {input("button", "Plan button's verb", { maxLength: 30, placeholder: "Choose" })}
        {select("offer", "Featured offer", [["", "The site's"], ["none", "No offer"], ...choices.offers.map((o) => [String(o.id), `${o.name} (${o.code})`] as const)])}
      </fieldset>
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : id ? "Save rule" : "Add rule"}
      </button>
    </form>
  );
}
