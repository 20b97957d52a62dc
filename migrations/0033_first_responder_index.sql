-- Issue 25 (P6): the first responder's own btree is redundant. complaints_first_responder_path_idx (migration 0020)
-- starts with the same column and serves `first_responder_id = $me` (the read rule's own cases, D10) as well, so
-- every registration wrote two btrees for one lookup (68 MB at 10M).
DROP INDEX IF EXISTS "complaints_first_responder_idx";
