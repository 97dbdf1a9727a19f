-- Matching: the weights of the score (admin-editable, audited), the same score in SQL for ranking,
-- and when a worker last started seeking work (a placement recorded after that means placed).

CREATE TABLE match_weights (
    key        text PRIMARY KEY CHECK (key ~ '^[a-z_]{1,60}$'),
    position   integer NOT NULL UNIQUE CHECK (position BETWEEN 1 AND 100),
    points     integer NOT NULL CHECK (points BETWEEN 0 AND 1000),
    label_vi   text NOT NULL,
    updated_by bigint REFERENCES staff_users (id),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The order is the order of `candidate_points`' weight array (and of MatchWeights.catalogue).
INSERT INTO match_weights (key, position, points, label_vi) VALUES
    ('priority_poor', 1, 40, 'Hộ nghèo'),
    ('priority_near_poor', 2, 30, 'Hộ cận nghèo'),
    ('priority_recently_escaped', 3, 20, 'Hộ mới thoát nghèo hoặc mới thoát cận nghèo'),
    ('priority_low_income', 4, 10, 'Hộ có thu nhập thấp'),
    ('occupation_unit_group', 5, 30, 'Đúng nghề (cùng nhóm nghề cấp 4)'),
    ('occupation_minor_group', 6, 20, 'Nghề gần (cùng nhóm nghề cấp 3)'),
    ('occupation_sub_major_group', 7, 10, 'Nghề liên quan (cùng nhóm nghề cấp 2)'),
    ('training_relevant', 8, 15, 'Đã hoàn thành khóa đào tạo phù hợp với nghề'),
    ('distance_max', 9, 15, 'Gần nơi làm việc (tối đa, giảm dần đến hết phạm vi đi lại)'),
    ('waiting_per_month', 10, 1, 'Mỗi tháng chờ việc kể từ khi đăng ký'),
    ('waiting_max', 11, 12, 'Tối đa cho thời gian chờ việc'),
    ('priority_woman', 12, 5, 'Ưu tiên lao động nữ'),
    ('priority_disability', 13, 5, 'Ưu tiên người khuyết tật'),
    ('priority_ethnic_minority', 14, 5, 'Ưu tiên người dân tộc thiểu số');

-- How many leading ISCO levels two codes share (0 to 4), as CandidateScorer.sharedLevels.
CREATE FUNCTION isco_shared_levels(a text, b text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN length(a) >= 4 AND length(b) >= 4 AND left(a, 4) = left(b, 4) THEN 4
        WHEN length(a) >= 3 AND length(b) >= 3 AND left(a, 3) = left(b, 3) THEN 3
        WHEN length(a) >= 2 AND length(b) >= 2 AND left(a, 2) = left(b, 2) THEN 2
        WHEN length(a) >= 1 AND length(b) >= 1 AND left(a, 1) = left(b, 1) THEN 1
        ELSE 0 END
$$;

-- The candidate's total score, exactly as CandidateScorer.score (JobMatchCore) adds its parts;
-- `w` holds the weights in match_weights.position order. The query works out the occupation
-- match depth (isco_shared_levels) and whether a relevant course was completed; with no
-- sub-select inside, PostgreSQL inlines the function into the ranking query. A test compares it
-- with CandidateScorer on random facts.
CREATE FUNCTION candidate_points(status text, occupation_depth integer, trained boolean, distance_km double precision,
                                 max_commute_km integer, registered_on date, today date, sex text, ethnicity text,
                                 has_disability boolean, w integer[])
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT
        CASE status WHEN 'poor' THEN w[1] WHEN 'near_poor' THEN w[2]
                    WHEN 'recently_escaped_poverty' THEN w[3] WHEN 'recently_escaped_near_poverty' THEN w[3]
                    WHEN 'low_income' THEN w[4] ELSE 0 END
        + CASE WHEN occupation_depth >= 4 THEN w[5] WHEN occupation_depth = 3 THEN w[6] WHEN occupation_depth = 2 THEN w[7] ELSE 0 END
        + CASE WHEN trained THEN w[8] ELSE 0 END
        + CASE WHEN distance_km IS NULL THEN 0
               ELSE floor(w[9]::double precision
                          * (greatest(0, COALESCE(NULLIF(max_commute_km, 0), 50)::double precision - distance_km)
                             / COALESCE(NULLIF(max_commute_km, 0), 50)::double precision))::integer END
        + least(w[10] * CASE WHEN today > registered_on
                             THEN (extract(year FROM today)::int - extract(year FROM registered_on)::int) * 12
                                  + extract(month FROM today)::int - extract(month FROM registered_on)::int
                                  - CASE WHEN extract(day FROM today) < extract(day FROM registered_on) THEN 1 ELSE 0 END
                             ELSE 0 END, w[11])
        + CASE WHEN sex = 'female' THEN w[12] ELSE 0 END
        + CASE WHEN has_disability THEN w[13] ELSE 0 END
        + CASE WHEN ethnicity IS NOT NULL AND btrim(ethnicity) <> '' AND lower(btrim(ethnicity)) <> 'kinh' THEN w[14] ELSE 0 END
$$;

-- Since when the worker has been seeking work: set at registration and whenever the status
-- becomes 'seeking' again. A placement recorded after it means the worker is placed.
ALTER TABLE workers ADD COLUMN seeking_since timestamptz NOT NULL DEFAULT now();
UPDATE workers SET seeking_since = created_at;

CREATE FUNCTION workers_seeking_since() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.job_seeking_status = 'seeking' AND OLD.job_seeking_status IS DISTINCT FROM 'seeking' THEN
        NEW.seeking_since := now();
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER workers_seeking_since BEFORE UPDATE OF job_seeking_status ON workers
    FOR EACH ROW EXECUTE FUNCTION workers_seeking_since();

-- Candidates are looked for among workers seeking work; referral consents by worker.
CREATE INDEX workers_seeking ON workers (id) WHERE job_seeking_status = 'seeking' AND merged_into IS NULL AND anonymised_at IS NULL;
CREATE INDEX worker_consents_worker ON worker_consents (worker_id) WHERE withdrawn_at IS NULL;
CREATE INDEX household_statuses_household ON household_statuses (household_id, valid_from);
