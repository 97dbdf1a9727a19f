import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Synthetic employers and open vacancies in the home province (`VacancyProfile`, `docs/seed.md`),
/// and referral consents for most workers, so that matching can be tried and measured (`jobmatch
/// seed --vacancies N`). The same seed gives the same data.
public struct VacancySeeder: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Adds `count` vacancies (one employer per 50 on average, at most 999: branches of one tax
    /// code, bigger ones posting more) and gives 85% of the workers without one a referral
    /// consent; returns the number of vacancies added.
    public func seed(vacancies count: Int, seed: UInt64 = 2025, today: LocalDate = .today()) async throws -> Int {
        let wards = try await PopulationSeeder(client: self.client, logger: self.logger).homeWards()
        let wardTable = WeightedTable(wards.map { ($0, VacancyProfile.employerWeight($0)) })
        let employers = (1...max(1, min(999, (count + VacancyProfile.vacanciesPerEmployer - 1) / VacancyProfile.vacanciesPerEmployer)))
            .map { SyntheticEmployer.make(number: $0, seed: seed, wards: wardTable) }
        let sizes = WeightedTable.zipf(Array(employers.indices), exponent: VacancyProfile.employerExponent)
        let vacancies = (0..<count).map { SyntheticVacancy.make(number: $0, seed: seed, employers: employers, employerTable: sizes, today: today) }
        let taxCodes = employers.map { "0100109106-" + String($0.number).leftPaddedWithZeros(to: 3) }
        return try await self.client.withTransaction(logger: self.logger) { tx in
            try await tx.allowLongWork(.job, logger: self.logger)
            try await tx.query(
                """
                INSERT INTO employers (name, tax_code, ward_code, sector)
                SELECT * FROM unnest(\(employers.map(\.name))::text[], \(taxCodes)::text[], \(employers.map(\.ward.ward))::text[],
                                     \(employers.map(\.sector))::text[])
                ON CONFLICT (tax_code) DO NOTHING
                """,
                logger: self.logger
            )
            // The vacancy is at its employer's ward (the employer's row may predate this run); an age
            // of 0 stands for none (the arrays carry no NULLs).
            let added =
                try await tx.query(
                    """
                    WITH v AS (
                        INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date, wage_min, wage_max, min_age, max_age)
                        SELECT e.id, x.title, x.occupation, e.ward_code, x.slots, x.closing, x.wage_min, x.wage_max, NULLIF(x.min_age, 0), NULLIF(x.max_age, 0)
                        FROM unnest(\(vacancies.map { taxCodes[$0.employer] })::text[], \(vacancies.map(\.title))::text[],
                                    \(vacancies.map(\.occupation))::text[], \(vacancies.map(\.slots))::int[], \(vacancies.map(\.closingDate.description))::date[],
                                    \(vacancies.map { Int64($0.wageMin) })::bigint[], \(vacancies.map { Int64($0.wageMax) })::bigint[],
                                    \(vacancies.map { $0.minAge ?? 0 })::int[], \(vacancies.map { $0.maxAge ?? 0 })::int[])
                             WITH ORDINALITY x(tax_code, title, occupation, slots, closing, wage_min, wage_max, min_age, max_age, n)
                        JOIN employers e ON e.tax_code = x.tax_code
                        ORDER BY x.n
                        RETURNING id)
                    SELECT count(*)::int FROM v
                    """,
                    logger: self.logger
                ).first(Int.self) ?? 0
            // Chosen first, inserted second: an INSERT whose own NOT EXISTS scans the table it fills
            // (the plan PostgreSQL picks before statistics exist) revisits every row it has added.
            // A hash of the id, not random(), so the same workers are chosen whatever the plan.
            try await tx.query(
                """
                CREATE TEMP TABLE seeded_consents ON COMMIT DROP AS
                SELECT w.id, w.created_at FROM workers w
                WHERE abs(hashint8extended(w.id, \(Int64(bitPattern: seed))) % 1000) < 850 AND w.merged_into IS NULL AND w.anonymised_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM worker_consents k WHERE k.worker_id = w.id AND k.purpose = 'referral' AND k.withdrawn_at IS NULL)
                """,
                logger: self.logger
            )
            try await tx.query(
                """
                INSERT INTO worker_consents (worker_id, purpose, means, given_at)
                SELECT id, 'referral', 'paper_form', created_at FROM seeded_consents ORDER BY id
                """,
                logger: self.logger
            )
            return added
        }
    }
}

extension String {
    /// Zero-padded on the left to `width`.
    fileprivate func leftPaddedWithZeros(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
