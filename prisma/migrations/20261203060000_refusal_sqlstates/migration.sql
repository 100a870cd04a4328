-- The project's own refusals get their own SQLSTATE, so the code reads which rule refused a write
-- from the error's code field instead of matching its message: BT001 a mapping that data was
-- uploaded under (same rule as 20261125030000_mapping), BT002 four eyes (same rules as
-- 20261202010000_four_eyes_in_database, search path pinned as in 20261202070000). Messages are
-- unchanged. The codes are named in src/db/databaseRefusal.ts.

CREATE OR REPLACE FUNCTION mapping_refuse_change_after_upload() RETURNS trigger AS $$
DECLARE
    bookkeeping TEXT[] := ARRAY['source', 'decided_by', 'decided_at', 'company_name', 'contract_name',
                                'service_name', 'first_uploaded_at'];
BEGIN
    IF OLD."first_uploaded_at" IS NULL THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF COALESCE(current_setting('autotask_bot.mapping_force_reason', true), '') <> '' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'MAPPING_LOCKED_BY_UPLOAD: % row % has uploads since %; force the change with a reason',
            TG_TABLE_NAME, to_jsonb(OLD) - bookkeeping, OLD."first_uploaded_at"
            USING ERRCODE = 'BT001';
    END IF;
    IF NEW."first_uploaded_at" IS NULL
       OR (to_jsonb(NEW) - bookkeeping) IS DISTINCT FROM (to_jsonb(OLD) - bookkeeping) THEN
        RAISE EXCEPTION 'MAPPING_LOCKED_BY_UPLOAD: % row % has uploads since %; force the change with a reason',
            TG_TABLE_NAME, to_jsonb(OLD) - bookkeeping, OLD."first_uploaded_at"
            USING ERRCODE = 'BT001';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION "sync_runs_four_eyes"() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  approved_states text[] := ARRAY['approved', 'uploading', 'succeeded', 'partially_failed', 'failed'];
BEGIN
  IF NEW."decided_by" IS NOT NULL
     AND NEW."decided_by" = NEW."requested_by"
     AND NEW."state" = ANY (approved_states)
     AND (TG_OP = 'INSERT'
          OR OLD."decided_by" IS DISTINCT FROM NEW."decided_by"
          OR OLD."requested_by" IS DISTINCT FROM NEW."requested_by"
          OR NOT (OLD."state" = ANY (approved_states)))
     AND "four_eyes_on"() THEN
    RAISE EXCEPTION 'FOUR_EYES: run % was requested by %, who cannot also approve it while sync.four_eyes is on',
      NEW."id", NEW."requested_by" USING ERRCODE = 'BT002';
  END IF;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION "sync_decisions_four_eyes"() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW."decision" = 'approved'
     AND EXISTS (SELECT 1 FROM "sync_runs" WHERE "id" = NEW."run_id" AND "requested_by" = NEW."actor_id")
     AND "four_eyes_on"() THEN
    RAISE EXCEPTION 'FOUR_EYES: % requested run % and cannot also approve it while sync.four_eyes is on',
      NEW."actor_id", NEW."run_id" USING ERRCODE = 'BT002';
  END IF;
  RETURN NEW;
END
$$;
