-- Makes a seeded population varied by hand (run in psql on a seeded cluster, service stopped), to check
-- the SQL baseline of matching.py against the service's full ranking where the uniform seed cannot:
-- commute limits, registrations over four years, ethnicity, disability, second occupations (2-, 3- and
-- 4-digit codes), completed and dropped courses, vacancies of more codes with age ranges. Not a seed.
SELECT setseed(0.42);
-- commute limits, registration over four years, ethnicity, disability
UPDATE workers SET
  max_commute_km = (ARRAY[NULL, NULL, NULL, 0, 5, 10, 15, 20, 30, 60, 100])[1 + floor(random() * 11)::int],
  created_at = now() - random() * interval '4 years',
  ethnicity = CASE WHEN random() < 0.08 THEN 'Khmer' WHEN random() < 0.03 THEN 'Hoa' WHEN random() < 0.05 THEN 'Kinh' ELSE ethnicity END,
  disability_type = CASE WHEN id % 31 = 0 THEN 'motor' ELSE disability_type END,
  disability_severity = CASE WHEN id % 31 = 0 THEN 'mild' ELSE disability_severity END;
UPDATE workers SET seeking_since = created_at;
-- a second occupation for 30%, some of them 2- and 3-digit codes
INSERT INTO worker_occupations (worker_id, occupation_code)
SELECT id, (ARRAY['7213','7221','72','721','9212','91','911','7231','6112','8122','512','9329'])[1 + floor(random() * 12)::int]
FROM workers WHERE random() < 0.3
ON CONFLICT DO NOTHING;
-- courses and completed enrolments for 20%
INSERT INTO courses (title, occupation_code, level, start_date, end_date, seats)
SELECT 'Khóa ' || c, c, 'so_cap', DATE '2024-01-01', DATE '2024-06-01', 10000
FROM unnest(ARRAY['7212','7215','7411','6111','9211','5120','7231','8121','721','91']) c;
INSERT INTO enrolments (course_id, worker_id, status, certificate_number, completed_on)
SELECT (SELECT id FROM courses ORDER BY id OFFSET floor(random() * 10)::int + 0 * w.id LIMIT 1), w.id,
       CASE WHEN w.id % 5 <> 0 THEN 'completed' ELSE 'dropped' END,
       CASE WHEN w.id % 5 <> 0 THEN 'CC-' || w.id END, CASE WHEN w.id % 5 <> 0 THEN DATE '2024-06-01' END
FROM workers w WHERE random() < 0.2
ON CONFLICT DO NOTHING;
-- vacancies: more codes (some 3-digit), age ranges, a few open to abroad-bound workers
UPDATE vacancies SET
  occupation_code = CASE WHEN random() < 0.3 THEN (ARRAY['7213','7221','721','9212','7231','6112','512','7412'])[1 + floor(random() * 8)::int] ELSE occupation_code END,
  min_age = CASE WHEN random() < 0.4 THEN 18 + floor(random() * 10)::int END,
  max_age = CASE WHEN random() < 0.4 THEN 30 + floor(random() * 20)::int END,
  open_to_abroad_bound = random() < 0.2;
VACUUM ANALYZE;
