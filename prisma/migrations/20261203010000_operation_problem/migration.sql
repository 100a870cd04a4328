-- Why an operation is not done (failed, waiting, skipped) is a problem — code, message, hint —
-- stored as JSON, no longer as "CODE: message — hint" text read back with a pattern. The text
-- rows are converted once, here; text without a code becomes OPERATION_FAILED.
ALTER TABLE "sync_operations" ADD COLUMN "problem" JSONB;

UPDATE "sync_operations"
SET "problem" = CASE
    WHEN "error" ~ '^[A-Z][A-Z0-9_]*: ' THEN jsonb_build_object(
        'code', substring("error" FROM '^([A-Z][A-Z0-9_]*): '),
        'message', split_part(substring("error" FROM '^[A-Z][A-Z0-9_]*: (.*)$'), ' — ', 1),
        'hint', COALESCE(NULLIF(substring(substring("error" FROM '^[A-Z][A-Z0-9_]*: (.*)$') FROM ' — (.*)$'), ''), ''))
    ELSE jsonb_build_object('code', 'OPERATION_FAILED', 'message', "error", 'hint', '')
END
WHERE "error" IS NOT NULL;

ALTER TABLE "sync_operations" DROP COLUMN "error";
