"use client";

import { useAdminForm } from "../_components/use-admin-form";
import type { SettingView } from "@/lib/admin/settings/queries";
import { errorProps, FieldError } from "../_components/field-error";
import { FormMessage } from "../_components/form-message";
import { saveSiteSettingsAction } from "./actions";

const FIELDS: Record<SettingView["name"], { label: string; kind: "number" | "line" | "text"; min?: number; max: number }> = {
  meterAnonymousLimit: { label: "Free articles for anonymous readers", kind: "number", min: 0, max: 50 },
  meterRegisteredLimit: { label: "Free articles for signed-in readers", kind: "number", min: 0, max: 50 },
  meterWindowDays: { label: "Meter window (days)", kind: "number", min: 1, max: 365 },
  defaultLeadInBlocks: { label: "Default lead-in (paragraphs)", kind: "number", min: 1, max: 20 },
  paywallHeading: { label: "Paywall heading", kind: "line", max: 120 },
  paywallBody: { label: "Paywall text", kind: "text", max: 600 },
  paywallButton: { label: "Plan button's verb (\"Choose\" when blank)", kind: "line", max: 30 },
};

/** The meter and paywall settings; a blank field goes back to the default. */
export function SiteSettingsForm({ settings }: { settings: SettingView[] }) {
  const { state, pending, formProps, errors, submitted } = useAdminForm(saveSiteSettingsAction);
  return (
    <form {...formProps} noValidate className="admin-form" aria-label="Settings">
      <FormMessage state={state} />
      {settings.map((setting) => {
        const field = FIELDS[setting.name];
        const hintId = `${setting.name}-hint`;
        const common = {
          id: setting.name,
          name: setting.name,
          defaultValue: submitted?.[setting.name] ?? setting.stored,
          placeholder: setting.fallback ?? "the default wording",
          ...errorProps(setting.name, errors),
        };
        const describedBy = errors?.[setting.name] ? `${hintId} ${setting.name}-error` : hintId;
        return (
          <div className="field" key={setting.name}>
            <label htmlFor={setting.name}>{field.label}</label>
            {field.kind === "text" ? (
              <textarea {...common} rows={3} maxLength={field.max} aria-describedby={describedBy} />
            ) : field.kind === "line" ? (
              <input {...common} maxLength={field.max} aria-describedby={describedBy} />
            ) : (
              <input {...common} type="number" inputMode="numeric" min={field.min} max={field.max} step={1} aria-describedby={describedBy} />
            )}
            <p id={hintId} className="field-hint">
              In effect: <strong>{setting.effective}</strong>
              {setting.stored === "" ? " (the default)" : ""}.{" "}
              {field.kind === "number" ? `${field.min}–${field.max}. ` : `Up to ${field.max} characters. `}
              Leave blank for the default{setting.fallback !== null ? ` (${setting.fallback})` : ""}.
            </p>
            <FieldError name={setting.name} errors={errors} />
          </div>
        );
      })}
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save settings"}
      </button>
    </form>
  );
}
