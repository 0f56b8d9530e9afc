CREATE TYPE "public"."withdrawal_state" AS ENUM('pending', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "withdrawals" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "withdrawals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"stripe_subscription_id" text NOT NULL,
	"user_id" text,
	"via" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"stripe_invoice_id" text,
	"currency" text,
	"amount_paid" integer DEFAULT 0 NOT NULL,
	"refund_amount" integer DEFAULT 0 NOT NULL,
	"refund_rule" text NOT NULL,
	"days_read" integer,
	"days_paid" integer,
	"state" "withdrawal_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"stripe_refund_id" text,
	"done_at" timestamp with time zone,
	CONSTRAINT "withdrawals_refund_within_paid" CHECK ("withdrawals"."refund_amount" >= 0 and "withdrawals"."refund_amount" <= "withdrawals"."amount_paid")
);
--> statement-breakpoint
ALTER TABLE "cancel_links" ADD COLUMN "purpose" text DEFAULT 'cancel' NOT NULL;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "withdrawals_subscription_idx" ON "withdrawals" USING btree ("stripe_subscription_id");--> statement-breakpoint
CREATE INDEX "withdrawals_due_idx" ON "withdrawals" USING btree ("next_attempt_at") WHERE "withdrawals"."state" = 'pending';