-- Issue 22, section 1: job-fair sessions (phiên giao dịch việc làm). A session has a day, a place
-- in a 2025 ward and a kind; employers take part and bring their own vacancies; workers check in
-- (by CCCD, by the code on their referral letter, or registered on the spot); interviews, offers
-- and hires made there are recorded against the session, and a hire is a placement in the
-- `job_fair` channel that carries the session (placements.job_fair_id).

CREATE TABLE job_fairs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200 AND title = btrim(title) AND title IS NFC NORMALIZED),
    held_on      date NOT NULL CHECK (held_on >= DATE '2021-01-01'),
    place        text NOT NULL CHECK (length(place) BETWEEN 1 AND 200 AND place = btrim(place) AND place IS NFC NORMALIZED),
    ward_code    text NOT NULL REFERENCES wards_2025 (ward_code),
    kind         text NOT NULL CHECK (kind IN ('fixed', 'mobile', 'online')),
    -- The state is derived: cancelled when cancelled_at is set, else held once its day has come,
    -- else planned.
    cancelled_at timestamptz,
    announced_at timestamptz,
    created_by   bigint REFERENCES staff_users (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_fairs_day ON job_fairs (held_on DESC, id DESC);

-- The employers taking part.
CREATE TABLE job_fair_employers (
    job_fair_id bigint NOT NULL REFERENCES job_fairs (id),
    employer_id bigint NOT NULL REFERENCES employers (id),
    added_by    bigint REFERENCES staff_users (id),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_fair_id, employer_id)
);

-- A vacancy brought to a session: only by its own employer, and only one that takes part (the two
-- composite foreign keys).
ALTER TABLE vacancies ADD CONSTRAINT vacancies_id_employer UNIQUE (id, employer_id);
CREATE TABLE job_fair_vacancies (
    job_fair_id bigint NOT NULL,
    vacancy_id  bigint NOT NULL,
    employer_id bigint NOT NULL,
    added_by    bigint REFERENCES staff_users (id),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_fair_id, vacancy_id),
    FOREIGN KEY (job_fair_id, employer_id) REFERENCES job_fair_employers (job_fair_id, employer_id),
    FOREIGN KEY (vacancy_id, employer_id) REFERENCES vacancies (id, employer_id)
);

-- A worker who came: once per session; by letter, the referral whose letter it was (the worker's own).
ALTER TABLE referrals ADD CONSTRAINT referrals_id_worker UNIQUE (id, worker_id);
CREATE TABLE job_fair_attendances (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_fair_id   bigint NOT NULL REFERENCES job_fairs (id),
    worker_id     bigint NOT NULL REFERENCES workers (id),
    means         text NOT NULL CHECK (means IN ('cccd', 'letter', 'walk_in')),
    referral_id   bigint,
    checked_in_by bigint REFERENCES staff_users (id),
    checked_in_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (job_fair_id, worker_id),
    UNIQUE (id, job_fair_id),
    FOREIGN KEY (referral_id, worker_id) REFERENCES referrals (id, worker_id),
    CHECK ((means = 'letter') = (referral_id IS NOT NULL))
);

-- A hire from a session is a job_fair placement naming it; (id, job_fair_id) lets an interview's
-- hire point at a placement of its own session.
ALTER TABLE placements
    ADD COLUMN job_fair_id bigint REFERENCES job_fairs (id),
    ADD CONSTRAINT placements_job_fair_channel CHECK (job_fair_id IS NULL OR channel = 'job_fair'),
    ADD CONSTRAINT placements_id_job_fair UNIQUE (id, job_fair_id);
CREATE INDEX placements_job_fair ON placements (job_fair_id) WHERE job_fair_id IS NOT NULL;

-- An interview at the session of a worker who came, for a vacancy brought there, and where it led:
-- interviewed, then offered, then hired (with its placement) or declined.
CREATE TABLE job_fair_interviews (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_fair_id    bigint NOT NULL,
    attendance_id  bigint NOT NULL,
    vacancy_id     bigint NOT NULL,
    stage          text NOT NULL CHECK (stage IN ('interviewed', 'offered', 'hired', 'declined')),
    placement_id   bigint UNIQUE,
    interviewed_by bigint REFERENCES staff_users (id),
    interviewed_at timestamptz NOT NULL DEFAULT now(),
    offered_by     bigint REFERENCES staff_users (id),
    offered_at     timestamptz,
    decided_by     bigint REFERENCES staff_users (id),
    decided_at     timestamptz,
    UNIQUE (attendance_id, vacancy_id),
    FOREIGN KEY (attendance_id, job_fair_id) REFERENCES job_fair_attendances (id, job_fair_id),
    FOREIGN KEY (job_fair_id, vacancy_id) REFERENCES job_fair_vacancies (job_fair_id, vacancy_id),
    FOREIGN KEY (placement_id, job_fair_id) REFERENCES placements (id, job_fair_id),
    CHECK ((stage = 'hired') = (placement_id IS NOT NULL)),
    CHECK (stage NOT IN ('offered', 'hired') OR offered_at IS NOT NULL),
    CHECK ((stage IN ('hired', 'declined')) = (decided_at IS NOT NULL))
);
CREATE INDEX job_fair_interviews_fair ON job_fair_interviews (job_fair_id);

-- A cancelled session takes no one and nothing new.
CREATE FUNCTION job_fair_refuse_cancelled() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM job_fairs WHERE id = NEW.job_fair_id AND cancelled_at IS NOT NULL) THEN
        RAISE EXCEPTION 'job fair % is cancelled', NEW.job_fair_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER job_fair_employers_open BEFORE INSERT ON job_fair_employers
    FOR EACH ROW EXECUTE FUNCTION job_fair_refuse_cancelled();
CREATE TRIGGER job_fair_vacancies_open BEFORE INSERT ON job_fair_vacancies
    FOR EACH ROW EXECUTE FUNCTION job_fair_refuse_cancelled();
CREATE TRIGGER job_fair_attendances_open BEFORE INSERT ON job_fair_attendances
    FOR EACH ROW EXECUTE FUNCTION job_fair_refuse_cancelled();
CREATE TRIGGER job_fair_interviews_open BEFORE INSERT OR UPDATE ON job_fair_interviews
    FOR EACH ROW EXECUTE FUNCTION job_fair_refuse_cancelled();
