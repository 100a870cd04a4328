-- Tamper evidence for the audit log: every row carries the hash of its content and of the row
-- before it. The chain is made by a BEFORE INSERT trigger, so no code path can skip it, and under
-- a transaction-scoped advisory lock, so concurrent inserts queue and each links to the last
-- committed row. The id is assigned under the same lock (last id + 1): chain order = id order.
-- `autotask-bot audit verify` (src/audit/auditChain.ts) recomputes the same formula; keep the two
-- identical (docs/security/audit-log.md).

ALTER TABLE "audit_log" ADD COLUMN "prev_hash" TEXT, ADD COLUMN "hash" TEXT;

-- the rows written before this migration are chained in id order, once
ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_no_update_delete";
DO $$
DECLARE
  r record;
  prev text := repeat('0', 64);
BEGIN
  FOR r IN SELECT * FROM "audit_log" ORDER BY "id" LOOP
    UPDATE "audit_log" SET "prev_hash" = prev,
      "hash" = encode(sha256(convert_to(prev || E'\n' || jsonb_build_array(
        r."id"::text, to_char(r."at", 'YYYY-MM-DD"T"HH24:MI:SS.MS'), r."actor_id", r."actor_name",
        r."action", r."customer_id", r."run_id", r."outcome", r."details")::text, 'UTF8')), 'hex')
    WHERE "id" = r."id"
    RETURNING "hash" INTO prev;
  END LOOP;
END $$;
ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_no_update_delete";

ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" SET NOT NULL, ALTER COLUMN "hash" SET NOT NULL;

-- search_path pinned and every name qualified: a session's temporary table called audit_log
-- cannot stand in for the real one.
CREATE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  last record;
BEGIN
  -- held until commit: the next insert waits and then sees this row
  PERFORM pg_advisory_xact_lock(7246813002);
  SELECT "id", "hash" INTO last FROM public."audit_log" ORDER BY "id" DESC LIMIT 1;
  NEW."id" := COALESCE(last."id", 0) + 1;
  NEW."prev_hash" := COALESCE(last."hash", repeat('0', 64));
  NEW."hash" := encode(sha256(convert_to(NEW."prev_hash" || E'\n' || jsonb_build_array(
    NEW."id"::text, to_char(NEW."at", 'YYYY-MM-DD"T"HH24:MI:SS.MS'), NEW."actor_id", NEW."actor_name",
    NEW."action", NEW."customer_id", NEW."run_id", NEW."outcome", NEW."details")::text, 'UTF8')), 'hex');
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_log_chain
  BEFORE INSERT ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

-- Agenda's job table, made here by the owner so that the bot's own role (which may not run DDL)
-- finds it ready; the backend then runs without its schema step (src/jobs/jobsBackend.ts). The
-- same statements as @agendajs/postgres-backend 3.0.6 runs; a database where the bot made the
-- table itself keeps it. A test checks that the backend's own schema step finds nothing to add.
DO $$
BEGIN
  IF to_regclass('public.agenda_jobs') IS NOT NULL THEN
    RETURN;
  END IF;
  CREATE TABLE "agenda_jobs" (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(255) NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    next_run_at TIMESTAMPTZ,
    type VARCHAR(10) NOT NULL DEFAULT 'normal' CHECK (type IN ('normal', 'single')),
    locked_at TIMESTAMPTZ,
    last_finished_at TIMESTAMPTZ,
    failed_at TIMESTAMPTZ,
    fail_count INTEGER DEFAULT NULL,
    fail_reason TEXT,
    repeat_timezone VARCHAR(100),
    last_run_at TIMESTAMPTZ,
    repeat_interval VARCHAR(255),
    data JSONB DEFAULT '{}'::jsonb,
    repeat_at VARCHAR(255),
    disabled BOOLEAN DEFAULT FALSE,
    progress REAL,
    fork BOOLEAN DEFAULT FALSE,
    last_modified_by VARCHAR(255),
    debounce_started_at TIMESTAMPTZ,
    start_date TIMESTAMPTZ,
    end_date TIMESTAMPTZ,
    skip_days JSONB,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW()
  );
  CREATE INDEX "agenda_jobs_find_and_lock_idx"
    ON "agenda_jobs" (name, next_run_at, priority DESC, locked_at, disabled) WHERE disabled = FALSE;
  CREATE UNIQUE INDEX "agenda_jobs_single_job_idx" ON "agenda_jobs" (name) WHERE type = 'single';
  CREATE INDEX "agenda_jobs_locked_at_idx" ON "agenda_jobs" (locked_at) WHERE locked_at IS NOT NULL;
  CREATE INDEX "agenda_jobs_next_run_at_idx" ON "agenda_jobs" (next_run_at) WHERE next_run_at IS NOT NULL;
  CREATE OR REPLACE FUNCTION update_agenda_jobs_updated_at() RETURNS TRIGGER AS $fn$
  BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
  END;
  $fn$ LANGUAGE plpgsql;
  CREATE TRIGGER "agenda_jobs_updated_at_trigger"
    BEFORE UPDATE ON "agenda_jobs"
    FOR EACH ROW EXECUTE FUNCTION update_agenda_jobs_updated_at();
END $$;
