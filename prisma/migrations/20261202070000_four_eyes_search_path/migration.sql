-- The four-eyes functions read "settings" and "sync_runs" by unqualified name. A session's own
-- temporary schema comes first on the default search path, so a temporary table called
-- "settings" holding `sync.four_eyes = false` would have switched the database's rule off for
-- that session. Pin the search path as the audit chain's trigger does: the temporary schema last.
ALTER FUNCTION "four_eyes_on"() SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION "sync_runs_four_eyes"() SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION "sync_decisions_four_eyes"() SET search_path = pg_catalog, public, pg_temp;
