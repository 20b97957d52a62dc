-- Issue 25 (P6), and every request: the staff viewer's identification planned once per connection.
--
-- Every request of a user reads the user, its grants and their units (src/auth/viewer.ts, loadStaffViewer). The
-- app's connections plan every statement for its values (plan_cache_mode = force_custom_plan, src/db/client.ts),
-- and planning that three-table join took 0.17 ms a request against 0.05 ms to run it (pg_stat_statements:
-- 0.11-0.16 ms of planning per request in the write benches). It goes by a user's id, so its generic plan is the
-- custom plan: in a PL/pgSQL function under force_generic_plan it is planned once per connection, and the call
-- costs 0.02 ms to plan (bench/README.md, "Write plans").
CREATE FUNCTION staff_viewer_rows(uid uuid)
  RETURNS TABLE (id uuid, disabled boolean, must_change_password boolean, token_version integer, username text,
    display_name text, unit_id uuid, role role, grant_unit_id uuid, unit_path text, unit_level org_level)
  LANGUAGE plpgsql STABLE
  SET plan_cache_mode = force_generic_plan
  AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT u.id, u.disabled, u.must_change_password, u.token_version, u.username, u.display_name, u.unit_id,
    g.role, g.unit_id, o.path, o.level
  FROM users u
  LEFT JOIN role_grants g ON g.user_id = u.id
  LEFT JOIN org_units o ON o.id = g.unit_id
  WHERE u.id = uid;
END
$$;
