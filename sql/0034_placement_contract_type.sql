-- A placement records the contract type (issue 20, section 5): indefinite, fixed term (with its end
-- date), seasonal, or self-employment; for a fixed term, the day the contract ends.
--
-- Existing rows: the ledger never said, so an existing entry is NULL ("not recorded"), except the
-- entries of the self-employment channel, which are self-employment by definition. (A hire, a
-- departure abroad, a job fair, a loan or an independent job may be under any contract: guessing
-- would put a number in the department's files that nobody recorded.) The backfill is the only
-- UPDATE ever made to the ledger; contract type counts nothing and changes no match, so the
-- matching triggers of 0018 are held off for it.
ALTER TABLE placements
    ADD COLUMN contract_type text CONSTRAINT placements_contract_type_known
        CHECK (contract_type IN ('indefinite', 'fixed_term', 'seasonal', 'self_employment')),
    ADD COLUMN contract_end_date date;

ALTER TABLE placements DISABLE TRIGGER placements_matching_upd;
UPDATE placements SET contract_type = 'self_employment' WHERE channel = 'self_employment';
ALTER TABLE placements ENABLE TRIGGER placements_matching_upd;

-- The end date belongs to a fixed term, and only to it, and comes after the start.
ALTER TABLE placements ADD CONSTRAINT placements_contract_end_date CHECK (
    CASE WHEN contract_type = 'fixed_term' THEN contract_end_date IS NOT NULL AND contract_end_date > start_date
         ELSE contract_end_date IS NULL END
);

-- Self-employment is the self-employment channel's contract, and not that of a hire, a departure
-- abroad or a job fair (an employer hired them, or an enterprise sent them abroad); a loan or an
-- independent job may be either. (NULL, not recorded, passes.)
ALTER TABLE placements ADD CONSTRAINT placements_contract_channel CHECK (
    CASE channel WHEN 'self_employment' THEN contract_type = 'self_employment'
                 WHEN 'job_creation_loan' THEN true
                 WHEN 'independent' THEN true
                 ELSE contract_type <> 'self_employment' END
);
