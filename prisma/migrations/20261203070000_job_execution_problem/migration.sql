-- Why a job execution failed is a problem — code, message, hint — stored as JSON like an
-- operation's (20261203010000_operation_problem), no longer as its "CODE: message — hint" text.
-- The text rows are converted once, here; text without a code becomes JOB_FAILED.
ALTER TABLE "job_executions" ADD COLUMN "problem" JSONB;

UPDATE "job_executions"
SET "problem" = CASE
    WHEN "error" ~ '^[A-Z][A-Z0-9_]*: ' THEN jsonb_build_object(
        'code', substring("error" FROM '^([A-Z][A-Z0-9_]*): '),
        'message', split_part(substring("error" FROM '^[A-Z][A-Z0-9_]*: (.*)$'), ' — ', 1),
        'hint', COALESCE(NULLIF(substring(substring("error" FROM '^[A-Z][A-Z0-9_]*: (.*)$') FROM ' — (.*)$'), ''), ''))
    ELSE jsonb_build_object('code', 'JOB_FAILED', 'message', "error", 'hint', '')
END
WHERE "error" IS NOT NULL;

ALTER TABLE "job_executions" DROP COLUMN "error";
