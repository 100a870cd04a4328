-- Four eyes, enforced by the database: while the setting `sync.four_eyes` is on (its default —
-- only a stored JSON `false` turns it off, as readRunPolicy reads it), no run can become (or be
-- rewritten into) an approved run whose decider is its requester, and no approval decision can be
-- recorded by the run's requester. The code's own conditional UPDATE says the same; this is what
-- no code path — nor a hand-written UPDATE — can get around. ENABLE ALWAYS: the triggers fire
-- under `session_replication_role = replica` too.

CREATE FUNCTION "four_eyes_on"() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT NOT EXISTS (SELECT 1 FROM "settings" WHERE "key" = 'sync.four_eyes' AND "value" = 'false'::jsonb)
$$;

CREATE FUNCTION "sync_runs_four_eyes"() RETURNS trigger LANGUAGE plpgsql AS $$
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
      NEW."id", NEW."requested_by" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "sync_runs_four_eyes" BEFORE INSERT OR UPDATE ON "sync_runs"
  FOR EACH ROW EXECUTE FUNCTION "sync_runs_four_eyes"();
ALTER TABLE "sync_runs" ENABLE ALWAYS TRIGGER "sync_runs_four_eyes";

CREATE FUNCTION "sync_decisions_four_eyes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."decision" = 'approved'
     AND EXISTS (SELECT 1 FROM "sync_runs" WHERE "id" = NEW."run_id" AND "requested_by" = NEW."actor_id")
     AND "four_eyes_on"() THEN
    RAISE EXCEPTION 'FOUR_EYES: % requested run % and cannot also approve it while sync.four_eyes is on',
      NEW."actor_id", NEW."run_id" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "sync_decisions_four_eyes" BEFORE INSERT OR UPDATE ON "sync_decisions"
  FOR EACH ROW EXECUTE FUNCTION "sync_decisions_four_eyes"();
ALTER TABLE "sync_decisions" ENABLE ALWAYS TRIGGER "sync_decisions_four_eyes";
