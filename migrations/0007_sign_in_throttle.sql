-- The per-account lock-out is gone (anyone could keep any account locked with five wrong passwords): sign-in
-- is throttled per (username, client network) and per network inside the RateLimiter objects instead.
ALTER TABLE "users" DROP COLUMN "failed_logins";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "locked_until";
