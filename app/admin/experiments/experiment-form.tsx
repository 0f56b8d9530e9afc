"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { Field, InputField } from "../_components/field";
import { FormMessage } from "../_components/form-message";
import { createExperimentAction, updateExperimentAction } from "./actions";

export interface ExperimentFormChoices {
  offers: Array<{ id: number; name: string; code: string }>;
  plans: Array<{ id: number; name: string }>;
  segments: Array<{ id: number; name: string }>;
}

const ROWS = [0, 1, 2, 3, 4] as const;

/**
 * A new experiment: a name, an optional segment, the control (today's settings) and up to four
 * variants, each changing what it sets. With `id`, a draft's edit, filled with `initial`.
 */
export function ExperimentForm({ choices, id, initial }: { choices: ExperimentFormChoices; id?: number; initial?: Record<string, string> }) {
  const { state, pending, formProps, errors, submitted: typed } = useAdminForm(id ? updateExperimentAction : createExperimentAction, { resetOnSuccess: !id });
  const prefix = id ? `experiment-${id}` : "new-experiment";
  const value = (name: string, fallback = "") => typed?.[name] ?? (initial ? (initial[name] ?? "") : fallback);
  const input = (i: number, key: string, label: string, extra: Record<string, unknown> = {}) => (
    <InputField name={`v${i}_${key}`} id={`${prefix}-v${i}_${key}`} label={label} errors={errors} defaultValue={value(`v${i}_${key}`)} {...extra} />
  );
  const planNames = choices.plans.map((p) => `${p.id} ${p.name}`).join(", ");
  return (
    <form {...formProps} noValidate className="admin-form" aria-label={id ? "Edit experiment" : "New experiment"}>
      <FormMessage state={state} />
      {id && <input type="hidden" name="id" value={id} />}
      <InputField name="name" id={`${prefix}-name`} label="Name" errors={errors} defaultValue={value("name")} maxLength={120} required />
      <Field name="segment" id={`${prefix}-segment`} label="Readers" errors={errors} hint="A segment rule: only readers it matches are assigned; the others get the default.">
        {(control) => (
          <select {...control} defaultValue={value("segment")}>
            <option value="">Every reader</option>
            {choices.segments.map((segment) => (
              <option key={segment.id} value={segment.id}>
                Only {segment.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {ROWS.map((i) => (
        <fieldset key={i} className="admin-fieldset" data-variant-row={i}>
          <legend>{i === 0 ? "Control: today's settings" : `Variant ${i}${i > 1 ? " (optional)" : ""}`}</legend>
          <div className="admin-plan-form__row">
            {input(i, "name", "Name", { maxLength: 60, defaultValue: value(`v${i}_name`, i === 0 ? "Control" : "") })}
            {input(i, "weight", "Share of readers (%)", { inputMode: "numeric", defaultValue: value(`v${i}_weight`, i < 2 ? "50" : "") })}
          </div>
          {i > 0 && (
            <>
              <p className="field-hint">Leave a setting blank to keep the site&apos;s.</p>
              <div className="admin-plan-form__row">
                {input(i, "anonymousLimit", "Free articles, anonymous", { inputMode: "numeric" })}
                {input(i, "registeredLimit", "Free articles, registered", { inputMode: "numeric" })}
                {input(i, "leadInBlocks", "Lead-in (blocks)", { inputMode: "numeric", hint: "For articles without their own lead-in." })}
              </div>
              {input(i, "heading", "Paywall heading", { maxLength: 120 })}
              {input(i, "body", "Paywall text", { maxLength: 600 })}
              {input(i, "button", "Plan button's verb", { maxLength: 30, placeholder: "Choose" })}
              <div className="admin-plan-form__row">
                <Field name={`v${i}_offer`} id={`${prefix}-v${i}_offer`} label="Featured offer" errors={errors}>
                  {(control) => (
                    <select {...control} defaultValue={value(`v${i}_offer`)}>
                      <option value="">The site&apos;s</option>
                      <option value="none">No offer</option>
                      {choices.offers.map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.name} ({o.code})
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field name={`v${i}_defaultPlan`} id={`${prefix}-v${i}_defaultPlan`} label="Default plan" errors={errors} hint="Shown first and marked Recommended.">
                  {(control) => (
                    <select {...control} defaultValue={value(`v${i}_defaultPlan`)}>
                      <option value="">The site&apos;s</option>
                      {choices.plans.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                {input(i, "planOrder", "Plan order (ids)", { placeholder: "3, 1", hint: `Plans: ${planNames || "none active"}.` })}
              </div>
            </>
          )}
        </fieldset>
      ))}
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : id ? "Save draft" : "Create experiment"}
      </button>
    </form>
  );
}
