-- One vacancy's candidates are looked for first among the workers who share its occupation group
-- (CandidateFinder.relatedWorkers): found by the group's two digits.
CREATE INDEX worker_occupations_group ON worker_occupations (left(occupation_code, 2), worker_id);
CREATE INDEX courses_occupation_minor ON courses (left(occupation_code, 3));
