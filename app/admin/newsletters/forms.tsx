"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { Field, InputField } from "../_components/field";
import { FormMessage } from "../_components/form-message";
import { saveIssueAction, saveNewsletterAction, saveNewsletterSettingsAction } from "./actions";

export interface NewsletterValues {
  id: number;
  name: string;
  description: string;
  senderName: string;
  subscribeOnSignup: boolean;
  audience: "everyone" | "paid";
}

/** Creates a newsletter, or edits one. */
export function NewsletterForm({ newsletter }: { newsletter?: NewsletterValues }) {
  const { state, pending, formProps, errors, submitted: typed } = useAdminForm(saveNewsletterAction);
  const value = (name: keyof NewsletterValues) => typed?.[name] ?? (newsletter ? String(newsletter[name]) : "");
  return (
    <form {...formProps} noValidate className="admin-form" aria-label={newsletter ? `Edit ${newsletter.name}` : "New newsletter"}>
      <input type="hidden" name="id" value={newsletter?.id ?? ""} />
      <FormMessage state={state} />
      <InputField name="name" label="Name" errors={errors} defaultValue={value("name")} maxLength={80} required />
      <InputField name="description" label="Description" errors={errors} defaultValue={value("description")} maxLength={500} />
      <InputField name="senderName" label="Sender name" errors={errors} defaultValue={value("senderName")} maxLength={80} required />
      <Field name="audience" label="Who may subscribe">
        {(control) => (
          <select {...control} defaultValue={value("audience") || "everyone"}>
            <option value="everyone">Everyone (free sign-up)</option>
            <option value="paid">Paying subscribers only</option>
          </select>
        )}
      </Field>
      <p className="field">
        <label>
          <input type="checkbox" name="subscribeOnSignup" defaultChecked={newsletter?.subscribeOnSignup ?? false} /> Ticked for new readers at sign-up
        </label>
      </p>
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : newsletter ? "Save newsletter" : "Create newsletter"}
      </button>
    </form>
  );
}

export interface IssueValues {
  subject: string;
  source: "markdown" | "article";
  markdown: string;
  articleId: string;
  segment: "everyone" | "free" | "paid";
}

/** Composes an issue: Markdown written for the email, or an article (each recipient gets what they may read). */
export function IssueForm({ target, issue, articles }: { target: { issueId: number } | { newsletterId: number }; issue?: IssueValues; articles: Array<{ id: number; title: string; access: string }> }) {
  const { state, pending, formProps, errors, submitted: typed } = useAdminForm(saveIssueAction);
  const value = (name: keyof IssueValues, fallback: string) => typed?.[name] ?? issue?.[name] ?? fallback;
  return (
    <form {...formProps} noValidate className="admin-form" aria-label="Issue">
      {"issueId" in target ? <input type="hidden" name="issueId" value={target.issueId} /> : <input type="hidden" name="newsletterId" value={target.newsletterId} />}
      <FormMessage state={state} />
      <InputField name="subject" label="Subject" errors={errors} defaultValue={value("subject", "")} maxLength={150} required />
      <fieldset className="field">
        <legend>The issue carries</legend>
        <label>
          <input type="radio" name="source" value="markdown" defaultChecked={value("source", "markdown") === "markdown"} /> Text written for the email
        </label>
        <label>
          <input type="radio" name="source" value="article" defaultChecked={value("source", "markdown") === "article"} /> An article (full text for subscribers, the lead-in and “Read on” for others)
        </label>
      </fieldset>
      <Field name="markdown" label="Text (Markdown: blank lines between paragraphs, ## headings, > quotes)" errors={errors}>
        {(control) => <textarea {...control} rows={10} defaultValue={value("markdown", "")} />}
      </Field>
      <Field name="articleId" label="Article" errors={errors}>
        {(control) => (
          <select {...control} defaultValue={value("articleId", "")}>
            <option value="">—</option>
            {articles.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title} ({a.access})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="segment" label="Send to">
        {(control) => (
          <select {...control} defaultValue={value("segment", "everyone")}>
            <option value="everyone">Every confirmed subscriber</option>
            <option value="free">Free readers only</option>
            <option value="paid">Paying subscribers only</option>
          </select>
        )}
      </Field>
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save draft"}
      </button>
    </form>
  );
}

/** The blocked sign-up domains and the sending pace. */
export function NewsletterSettingsForm({ blockedDomains, messagesPerSecond }: { blockedDomains: string[]; messagesPerSecond: number }) {
  const { state, pending, formProps, errors } = useAdminForm(saveNewsletterSettingsAction);
  return (
    <form {...formProps} noValidate className="admin-form" aria-label="Newsletter settings">
      <FormMessage state={state} />
      <Field name="blockedDomains" label="Blocked sign-up domains (one per line; sign-ups from them are quietly dropped)" errors={errors}>
        {(control) => <textarea {...control} rows={4} defaultValue={blockedDomains.join("\n")} />}
      </Field>
      <InputField name="messagesPerSecond" label="Messages per second" errors={errors} inputMode="numeric" defaultValue={messagesPerSecond} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save settings"}
      </button>
    </form>
  );
}
