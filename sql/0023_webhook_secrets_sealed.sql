-- Webhook signing secrets are kept encrypted (AES-256-GCM, nonce || ciphertext || tag) with a key
-- held outside the database, and the id of that key, so that a dump, a backup or a read-only role
-- cannot sign deliveries, and the key can be rotated (`jobmatch webhooks rekey`). The plain column
-- stays only for rows written before this migration; the service seals them at its next start and
-- empties it. Each row has exactly one of the two.
ALTER TABLE employer_webhooks
    ALTER COLUMN secret DROP NOT NULL,
    ADD COLUMN secret_key_id text CHECK (secret_key_id ~ '^[0-9a-f]{16}$'),
    ADD COLUMN secret_sealed bytea CHECK (octet_length(secret_sealed) BETWEEN 60 AND 1000),
    ADD CONSTRAINT employer_webhooks_secret_sealed_or_plain
        CHECK ((secret_sealed IS NULL) = (secret_key_id IS NULL) AND (secret IS NULL) <> (secret_sealed IS NULL));
