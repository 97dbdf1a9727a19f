-- Vacancies, referrals, the placement ledger and the plan targets.

CREATE TABLE vacancies (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id     bigint NOT NULL REFERENCES employers (id),
    reference       text CHECK (length(reference) BETWEEN 1 AND 100),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200 AND title IS NFC NORMALIZED),
    description     text CHECK (length(description) <= 5000),
    occupation_code text NOT NULL REFERENCES occupations (code),
    ward_code       text NOT NULL REFERENCES wards_2025 (ward_code),
    slots           integer NOT NULL CHECK (slots BETWEEN 1 AND 10000),
    slots_filled    integer NOT NULL DEFAULT 0 CHECK (slots_filled >= 0 AND slots_filled <= slots),
    wage_min        bigint CHECK (wage_min >= 0),
    wage_max        bigint CHECK (wage_max >= 0),
    min_age         integer CHECK (min_age BETWEEN 15 AND 100),
    max_age         integer CHECK (max_age BETWEEN 15 AND 100),
    closing_date    date NOT NULL,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (employer_id, reference),
    CHECK (wage_max >= wage_min),
    CHECK (max_age >= min_age)
);
CREATE INDEX vacancies_employer ON vacancies (employer_id, id DESC);
CREATE INDEX vacancies_open ON vacancies (status, closing_date);

CREATE TABLE vacancy_skills (
    vacancy_id bigint NOT NULL REFERENCES vacancies (id),
    skill_id   bigint NOT NULL REFERENCES skills (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (vacancy_id, skill_id)
);

-- A worker put forward for a vacancy, with the score and its parts as they were at the time.
CREATE TABLE referrals (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vacancy_id   bigint NOT NULL REFERENCES vacancies (id),
    worker_id    bigint NOT NULL REFERENCES workers (id),
    status       text NOT NULL CHECK (status IN ('proposed', 'referred', 'interviewed', 'hired', 'rejected', 'withdrawn')),
    score        integer NOT NULL,
    score_parts  jsonb NOT NULL,
    created_by   bigint REFERENCES staff_users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (vacancy_id, worker_id)
);
CREATE INDEX referrals_worker ON referrals (worker_id);

-- Every step of a referral: who moved it, from what, to what, when.
CREATE TABLE referral_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id  bigint NOT NULL REFERENCES referrals (id),
    from_status  text,
    to_status    text NOT NULL,
    actor_kind   text NOT NULL CHECK (actor_kind IN ('staff', 'employer', 'system')),
    actor_id     bigint,
    note         text CHECK (length(note) <= 1000),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_events_referral ON referral_events (referral_id);

-- The ledger the targets count from. Rows are never edited: a correction is a new row that
-- reverses an old one (reverses_id), recorded with its own recorded_at.
CREATE TABLE placements (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    worker_id            bigint NOT NULL REFERENCES workers (id),
    channel              text NOT NULL CHECK (channel IN ('vacancy_hire', 'overseas_departure', 'job_fair',
                                                          'job_creation_loan', 'self_employment', 'independent')),
    start_date           date NOT NULL,
    referral_id          bigint REFERENCES referrals (id),
    overseas_contract_id bigint REFERENCES overseas_contracts (id),
    employer_id          bigint REFERENCES employers (id),
    destination_country  text CHECK (destination_country ~ '^[A-Z]{2}$'),
    occupation_code      text REFERENCES occupations (code),
    wage_vnd             bigint CHECK (wage_vnd >= 0),
    evidence             text CHECK (length(evidence) <= 1000),
    reverses_id          bigint UNIQUE REFERENCES placements (id),
    reason               text CHECK (length(reason) <= 1000),
    recorded_by          bigint REFERENCES staff_users (id),
    recorded_at          timestamptz NOT NULL DEFAULT now(),
    created_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (channel <> 'vacancy_hire' OR referral_id IS NOT NULL),
    CHECK (channel <> 'overseas_departure' OR (overseas_contract_id IS NOT NULL AND destination_country IS NOT NULL))
);
CREATE UNIQUE INDEX placements_one_per_referral ON placements (referral_id) WHERE reverses_id IS NULL;
CREATE UNIQUE INDEX placements_one_per_contract ON placements (overseas_contract_id) WHERE reverses_id IS NULL;
CREATE INDEX placements_start ON placements (start_date);
CREATE INDEX placements_worker ON placements (worker_id);

-- The plan's targets; an admin may change a value.
CREATE TABLE targets (
    key          text PRIMARY KEY CHECK (key ~ '^[a-z0-9_]{1,60}$'),
    indicator    text NOT NULL CHECK (indicator IN ('jobs', 'abroad', 'trained_rate')),
    period_start date NOT NULL,
    period_end   date NOT NULL CHECK (period_end >= period_start),
    value        numeric NOT NULL CHECK (value > 0),
    title_vi     text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    created_at   timestamptz NOT NULL DEFAULT now()
);

INSERT INTO targets (key, indicator, period_start, period_end, value, title_vi) VALUES
    ('jobs_2021_2025', 'jobs', DATE '2021-01-01', DATE '2025-12-31', 75000, 'Lao động được tạo việc làm 2021-2025'),
    ('jobs_2026_2030', 'jobs', DATE '2026-01-01', DATE '2030-12-31', 95000, 'Lao động được tạo việc làm 2026-2030'),
    ('abroad_2021_2025', 'abroad', DATE '2021-01-01', DATE '2025-12-31', 2500, 'Lao động đi làm việc ở nước ngoài theo hợp đồng 2021-2025'),
    ('trained_rate_2025', 'trained_rate', DATE '2021-01-01', DATE '2025-12-31', 70, 'Tỷ lệ lao động qua đào tạo đến 2025 (%)'),
    ('trained_rate_2030', 'trained_rate', DATE '2026-01-01', DATE '2030-12-31', 75, 'Tỷ lệ lao động qua đào tạo đến 2030 (%)');
