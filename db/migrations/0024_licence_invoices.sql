CREATE TABLE "organisation_invoices" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "organisation_invoices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organisation_id" integer NOT NULL,
	"stripe_invoice_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"due_date" timestamp with time zone,
	"term_start" timestamp with time zone NOT NULL,
	"term_end" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_invoices_stripe_invoice_id_unique" UNIQUE("stripe_invoice_id"),
	CONSTRAINT "organisation_invoices_status" CHECK ("organisation_invoices"."status" in ('pending', 'draft', 'open', 'paid', 'void', 'uncollectible'))
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "stripe_customer_id" text;--> statement-breakpoint
ALTER TABLE "organisation_invoices" ADD CONSTRAINT "organisation_invoices_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_invoices_live_idx" ON "organisation_invoices" USING btree ("organisation_id","term_start","term_end") WHERE "organisation_invoices"."status" in ('pending', 'draft', 'open', 'paid');--> statement-breakpoint
CREATE INDEX "organisation_invoices_organisation_idx" ON "organisation_invoices" USING btree ("organisation_id");--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_stripe_customer_id_unique" UNIQUE("stripe_customer_id");