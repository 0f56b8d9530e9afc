ALTER TABLE "organisations" ADD COLUMN "seat_mail_level" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "seat_mails" integer DEFAULT 0 NOT NULL;