-- Issue 22, section 2: the referral letter (giấy giới thiệu). A referral gets the short code printed
-- on its letter, and typed or scanned on the public page /letters, when the worker is referred (made
-- as referred, or a proposal accepted); a proposal has none, so a batch of proposals draws nothing.
-- The code: 10 characters of Crockford's base32 (no I, L, O, U), 50 bits from PostgreSQL's strong
-- random source (the bytes of gen_random_uuid(), which reads pg_strong_random: OpenSSL's RAND_bytes
-- on Debian's build).

-- A new code no referral has yet. The random bytes of a version-4 UUID are all but byte 6's high
-- nibble (the version) and byte 8's two high bits (the variant): the low five bits of bytes 0-5,
-- 7 and 9-11 are random. A code already taken (one chance in 10^9 with a million letters) is drawn
-- again; the unique index below guards the race of two drawing the same at once.
CREATE FUNCTION referral_letter_code() RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    alphabet constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    picks constant int[] := ARRAY[0, 1, 2, 3, 4, 5, 7, 9, 10, 11];
    bytes bytea;
    code text;
BEGIN
    LOOP
        bytes := uuid_send(gen_random_uuid());
        code := '';
        FOR i IN 1..10 LOOP
            code := code || substr(alphabet, (get_byte(bytes, picks[i]) & 31) + 1, 1);
        END LOOP;
        EXIT WHEN NOT EXISTS (SELECT 1 FROM referrals WHERE letter_code = code);
    END LOOP;
    RETURN code;
END
$$;

ALTER TABLE referrals ADD COLUMN letter_code text;

-- Referrals made before this file: those that were ever referred get their code now.
UPDATE referrals r SET letter_code = referral_letter_code()
WHERE EXISTS (SELECT 1 FROM referral_events e WHERE e.referral_id = r.id AND e.to_status = 'referred');

-- Whatever path refers a worker (staff, an accepted proposal, a later one), the row gets its code.
CREATE FUNCTION referral_letter_code_assign() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.letter_code := referral_letter_code();
    RETURN NEW;
END
$$;
CREATE TRIGGER referrals_letter_code BEFORE INSERT OR UPDATE OF status ON referrals
    FOR EACH ROW WHEN (NEW.status = 'referred' AND NEW.letter_code IS NULL)
    EXECUTE FUNCTION referral_letter_code_assign();

-- Only a proposal (or a proposal dropped before it was accepted) goes without a code.
ALTER TABLE referrals
    ADD CONSTRAINT referrals_letter_code_format CHECK (letter_code ~ '^[0-9A-HJKMNP-TV-Z]{10}$'),
    ADD CONSTRAINT referrals_letter_code_referred CHECK (letter_code IS NOT NULL OR status IN ('proposed', 'withdrawn'));
CREATE UNIQUE INDEX referrals_letter_code ON referrals (letter_code);
