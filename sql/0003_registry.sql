-- The registry: households and their poverty status over time, workers, training,
-- employers and licensed overseas-labour enterprises.

CREATE TABLE households (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    head_name        text NOT NULL CHECK (length(head_name) BETWEEN 1 AND 150 AND head_name = btrim(head_name) AND head_name IS NFC NORMALIZED),
    ward_code        text NOT NULL REFERENCES wards_2025 (ward_code),
    legacy_ward_code text REFERENCES legacy_wards (ward_code),
    address          text CHECK (length(address) <= 300),
    -- The commune's own code for the household on its poverty list, unique within the ward.
    household_code   text CHECK (length(household_code) BETWEEN 1 AND 50),
    created_by       bigint REFERENCES staff_users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (ward_code, household_code)
);
CREATE INDEX households_ward ON households (ward_code);

-- A household's recognised status over time (Decree 07/2021, Decree 351/2025, Decree 30/2025).
-- valid_to is inclusive; NULL means still in force. Periods of one household never overlap.
CREATE TABLE household_statuses (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id  bigint NOT NULL REFERENCES households (id),
    status        text NOT NULL CHECK (status IN ('poor', 'near_poor', 'recently_escaped_poverty',
                                                  'recently_escaped_near_poverty', 'low_income', 'none')),
    valid_from    date NOT NULL,
    valid_to      date CHECK (valid_to >= valid_from),
    standard      text NOT NULL CHECK (standard IN ('decree_07_2021', 'decree_30_2025', 'decree_351_2025')),
    decision_ref  text CHECK (length(decision_ref) <= 200),
    created_by    bigint REFERENCES staff_users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    EXCLUDE USING gist (household_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)
);

-- The status of a household on a day ('none' when nothing was recognised): the one definition
-- of "status as of date D" that matching, search and reports share.
CREATE FUNCTION household_status_on(household bigint, on_day date) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
        SELECT COALESCE((SELECT s.status FROM household_statuses s
                         WHERE s.household_id = household AND s.valid_from <= on_day
                           AND (s.valid_to IS NULL OR s.valid_to >= on_day)), 'none')
    $$;

CREATE TABLE workers (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name           text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 150 AND full_name = btrim(full_name) AND full_name IS NFC NORMALIZED),
    cccd                text UNIQUE CHECK (cccd ~ '^[0-9]{12}$'),
    birth_date          date NOT NULL CHECK (birth_date >= DATE '1900-01-01'),
    sex                 text NOT NULL CHECK (sex IN ('male', 'female')),
    ethnicity           text CHECK (length(ethnicity) <= 50),
    disability_type     text CHECK (disability_type IN ('motor', 'hearing_speech', 'visual',
                                                        'neuro_psychiatric', 'intellectual', 'other')),
    disability_severity text CHECK (disability_severity IN ('particularly_severe', 'severe', 'mild')),
    phone               text CHECK (phone ~ '^0[0-9]{9}$'),
    ward_code           text NOT NULL REFERENCES wards_2025 (ward_code),
    legacy_ward_code    text REFERENCES legacy_wards (ward_code),
    household_id        bigint REFERENCES households (id),
    education_level     text CHECK (education_level IN ('none', 'primary', 'lower_secondary', 'upper_secondary')),
    qualification       text CHECK (qualification IN ('none', 'under_3_months', 'so_cap', 'trung_cap', 'cao_dang', 'dai_hoc', 'post_graduate')),
    major               text CHECK (length(major) <= 200),
    current_job         text CHECK (length(current_job) <= 200),
    unemployed_since    date,
    job_seeking_status  text NOT NULL DEFAULT 'seeking' CHECK (job_seeking_status IN ('seeking', 'employed', 'not_seeking')),
    max_commute_km      integer CHECK (max_commute_km BETWEEN 0 AND 2000),
    willing_abroad      boolean NOT NULL DEFAULT false,
    anonymised_at       timestamptz,
    created_by          bigint REFERENCES staff_users (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((disability_type IS NULL) = (disability_severity IS NULL)),
    CHECK (anonymised_at IS NULL OR (cccd IS NULL AND phone IS NULL))
);
CREATE INDEX workers_household ON workers (household_id);
CREATE INDEX workers_ward ON workers (ward_code);

CREATE TABLE worker_occupations (
    worker_id       bigint NOT NULL REFERENCES workers (id),
    occupation_code text NOT NULL REFERENCES occupations (code),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (worker_id, occupation_code)
);

CREATE TABLE worker_skills (
    worker_id  bigint NOT NULL REFERENCES workers (id),
    skill_id   bigint NOT NULL REFERENCES skills (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (worker_id, skill_id)
);

-- Where a worker is willing to work: a 2025 ward or a legacy district, never a bare code.
CREATE TABLE worker_preferred_areas (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    worker_id            bigint NOT NULL REFERENCES workers (id),
    ward_code            text REFERENCES wards_2025 (ward_code),
    legacy_district_code text REFERENCES legacy_districts (district_code),
    created_at           timestamptz NOT NULL DEFAULT now(),
    CHECK ((ward_code IS NULL) <> (legacy_district_code IS NULL)),
    UNIQUE (worker_id, ward_code),
    UNIQUE (worker_id, legacy_district_code)
);

-- Explicit consent, never implied (Law 91/2025); withdrawal keeps the row.
CREATE TABLE worker_consents (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    worker_id    bigint NOT NULL REFERENCES workers (id),
    purpose      text NOT NULL CHECK (purpose IN ('referral', 'share_contact_with_employer', 'data_processing')),
    means        text NOT NULL CHECK (means IN ('paper_form', 'in_person', 'electronic')),
    given_at     timestamptz NOT NULL,
    withdrawn_at timestamptz CHECK (withdrawn_at >= given_at),
    created_by   bigint REFERENCES staff_users (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX worker_consents_one_active ON worker_consents (worker_id, purpose) WHERE withdrawn_at IS NULL;

CREATE TABLE training_providers (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    ward_code  text REFERENCES wards_2025 (ward_code),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE courses (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id     bigint REFERENCES training_providers (id),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200 AND title IS NFC NORMALIZED),
    occupation_code text NOT NULL REFERENCES occupations (code),
    level           text NOT NULL CHECK (level IN ('under_3_months', 'so_cap', 'trung_cap', 'cao_dang')),
    start_date      date NOT NULL,
    end_date        date NOT NULL CHECK (end_date >= start_date),
    seats           integer NOT NULL CHECK (seats BETWEEN 1 AND 10000),
    funding_source  text CHECK (length(funding_source) <= 200),
    created_by      bigint REFERENCES staff_users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE enrolments (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id          bigint NOT NULL REFERENCES courses (id),
    worker_id          bigint NOT NULL REFERENCES workers (id),
    status             text NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'completed', 'dropped')),
    certificate_number text CHECK (length(certificate_number) BETWEEN 1 AND 100),
    completed_on       date,
    created_by         bigint REFERENCES staff_users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (course_id, worker_id),
    CHECK ((status = 'completed') = (certificate_number IS NOT NULL AND completed_on IS NOT NULL))
);
CREATE INDEX enrolments_worker ON enrolments (worker_id);

-- Training support under Decision 46/2015: each person is supported only once.
CREATE TABLE training_supports (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    worker_id    bigint NOT NULL UNIQUE REFERENCES workers (id),
    enrolment_id bigint NOT NULL REFERENCES enrolments (id),
    amount_vnd   bigint NOT NULL CHECK (amount_vnd BETWEEN 1 AND 6000000),
    basis        text NOT NULL CHECK (basis IN ('disability', 'poor_ethnic_minority', 'poor', 'near_poor', 'rural_or_women')),
    decided_on   date NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE employers (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200 AND name = btrim(name) AND name IS NFC NORMALIZED),
    tax_code   text NOT NULL UNIQUE CHECK (tax_code ~ '^[0-9]{10}(-[0-9]{3})?$'),
    ward_code  text NOT NULL REFERENCES wards_2025 (ward_code),
    sector     text CHECK (length(sector) <= 200),
    contact_name  text CHECK (length(contact_name) <= 150),
    contact_phone text CHECK (contact_phone ~ '^0[0-9]{9,10}$'),
    contact_email text CHECK (length(contact_email) <= 200 AND contact_email LIKE '%_@_%'),
    created_by bigint REFERENCES staff_users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a key is stored; the prefix is shown for support.
CREATE TABLE employer_api_keys (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id  bigint NOT NULL REFERENCES employers (id),
    prefix       text NOT NULL CHECK (length(prefix) BETWEEN 4 AND 32),
    key_hash     bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    revoked_at   timestamptz,
    last_used_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX employer_api_keys_employer ON employer_api_keys (employer_id);

-- Enterprises licensed to send workers abroad (Law 69/2020).
CREATE TABLE overseas_enterprises (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    licence_number    text NOT NULL UNIQUE CHECK (length(licence_number) BETWEEN 1 AND 50),
    licence_valid_from date NOT NULL,
    licence_valid_to  date CHECK (licence_valid_to >= licence_valid_from),
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE overseas_contracts (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    worker_id         bigint NOT NULL REFERENCES workers (id),
    enterprise_id     bigint REFERENCES overseas_enterprises (id),
    country           text NOT NULL CHECK (country ~ '^[A-Z]{2}$' AND country <> 'VN'),
    occupation_code   text NOT NULL REFERENCES occupations (code),
    term_months       integer NOT NULL CHECK (term_months BETWEEN 1 AND 120),
    planned_departure date NOT NULL,
    departure_date    date,
    contract_date     date NOT NULL DEFAULT CURRENT_DATE,
    early_return_date date CHECK (early_return_date >= departure_date),
    early_return_reason text CHECK (length(early_return_reason) BETWEEN 1 AND 500),
    fee_vnd           bigint CHECK (fee_vnd >= 0),
    deposit_vnd       bigint CHECK (deposit_vnd >= 0),
    loan_source       text CHECK (loan_source IN ('vbsp', 'national_employment_fund', 'none')),
    created_by        bigint REFERENCES staff_users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (early_return_date IS NULL OR departure_date IS NOT NULL),
    CHECK ((early_return_date IS NULL) = (early_return_reason IS NULL))
);
CREATE INDEX overseas_contracts_worker ON overseas_contracts (worker_id);
