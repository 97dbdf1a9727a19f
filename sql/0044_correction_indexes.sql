-- What a month's file must correct (PlacementCorrections): the people whose entries were recorded,
-- reversed or confirmed after the previous month was reported. These three indexes answer it from
-- the index alone (about 50 ms at 1,000,000 placements, 290 ms before, with a year of entries
-- recorded since): the entries by when they were recorded, with the start date and the worker; the
-- reversals apart (1% of entries); the confirmations apart (only the hires staff confirm).
DROP INDEX placements_recorded;
CREATE INDEX placements_recorded ON placements (recorded_at) INCLUDE (start_date, worker_id);
CREATE INDEX placements_reversals_recorded ON placements (recorded_at) INCLUDE (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX placements_confirmed ON placements (confirmed_at) INCLUDE (start_date, worker_id) WHERE confirmed_at IS NOT NULL;
