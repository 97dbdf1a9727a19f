import Foundation
import Logging
import PostgresNIO

/// Synthetic employers and open vacancies in the home province's 2025 wards, and referral
/// consents for most workers, so that matching can be tried and measured (`jobmatch seed
/// --vacancies N`). The same seed gives the same data.
public struct VacancySeeder: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Adds `count` vacancies (one employer per 50, branches of one tax code) and gives 85% of
    /// the workers without one a referral consent; returns the number of vacancies added.
    public func seed(vacancies count: Int, seed: UInt64 = 2025) async throws -> Int {
        let occupations = PopulationSeeder.occupations
        let employers = max(1, min(999, (count + 49) / 50))
        return try await self.client.withTransaction(logger: self.logger) { tx in
            try await tx.query("SELECT setseed(\(Double(seed % 1_000_000) / 1_000_000))", logger: self.logger)
            let first = try await tx.query("SELECT COALESCE(max(id), 0) FROM employers", logger: self.logger).first(Int64.self) ?? 0
            try await tx.query(
                """
                WITH wards AS (SELECT array_agg(DISTINCT c.ward_code ORDER BY c.ward_code) AS codes FROM legacy_wards lw
                               JOIN ward_crosswalk c ON c.legacy_ward_code = lw.ward_code AND c.is_default WHERE lw.province_code = '93')
                INSERT INTO employers (name, tax_code, ward_code)
                SELECT 'Doanh nghiệp mẫu ' || (\(first) + g), '0100109106-' || lpad(((\(first) + g) % 1000)::text, 3, '0'),
                       codes[1 + floor(random() * array_length(codes, 1))::int]
                FROM generate_series(1, \(employers)) g, wards
                ON CONFLICT (tax_code) DO NOTHING
                """, logger: self.logger)
            let added = try await tx.query(
                """
                WITH wards AS (SELECT array_agg(DISTINCT c.ward_code ORDER BY c.ward_code) AS codes FROM legacy_wards lw
                               JOIN ward_crosswalk c ON c.legacy_ward_code = lw.ward_code AND c.is_default WHERE lw.province_code = '93'),
                     e AS (SELECT array_agg(id ORDER BY id) AS ids FROM employers),
                     v AS (
                        INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date, wage_min, wage_max, min_age, max_age)
                        SELECT ids[1 + floor(random() * array_length(ids, 1))::int], 'Vị trí mẫu ' || g, o.code,
                               codes[1 + floor(random() * array_length(codes, 1))::int], 1 + floor(random() * 5)::int,
                               CURRENT_DATE + 30 + floor(random() * 120)::int, 5000000, 9000000,
                               CASE WHEN random() < 0.3 THEN 18 END, CASE WHEN random() < 0.3 THEN 45 END
                        FROM generate_series(1, \(count)) g, wards, e,
                             LATERAL (SELECT (\(occupations)::text[])[1 + floor(random() * \(occupations.count))::int + 0 * g] AS code) o
                        RETURNING id)
                SELECT count(*)::int FROM v
                """, logger: self.logger).first(Int.self) ?? 0
            // Chosen first, inserted second: an INSERT whose own NOT EXISTS scans the table it fills
            // (the plan PostgreSQL picks before statistics exist) revisits every row it has added.
            try await tx.query(
                """
                CREATE TEMP TABLE seeded_consents ON COMMIT DROP AS
                SELECT w.id, w.created_at FROM workers w
                WHERE random() < 0.85 AND w.merged_into IS NULL AND w.anonymised_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM worker_consents k WHERE k.worker_id = w.id AND k.purpose = 'referral' AND k.withdrawn_at IS NULL)
                """, logger: self.logger)
            try await tx.query(
                """
                INSERT INTO worker_consents (worker_id, purpose, means, given_at)
                SELECT id, 'referral', 'paper_form', created_at FROM seeded_consents
                """, logger: self.logger)
            return added
        }
    }
}
