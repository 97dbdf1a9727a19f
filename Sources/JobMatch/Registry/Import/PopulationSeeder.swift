import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Makes a realistic synthetic population of the home province (`MekongLabourProfile`,
/// `docs/seed.md`): households, their statuses and members go in as a commune import file through
/// the same `WorkerImporter` clerks use; what the file cannot carry (registration date, commute
/// limit, disability, completed courses) follows in set-based SQL (`PopulationSeeder+Facts`).
public struct PopulationSeeder: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The home province's legacy wards, their districts and the 2025 ward each became (default mapping).
    public func homeWards(province: String = "93") async throws -> [SeedWard] {
        let rows = try await self.client.query(
            """
            SELECT lw.ward_code, lw.district_code, c.ward_code, lw.ward_type <> 'Xã' FROM legacy_wards lw
            JOIN ward_crosswalk c ON c.legacy_ward_code = lw.ward_code AND c.is_default
            WHERE lw.province_code = \(province) ORDER BY lw.ward_code
            """,
            logger: self.logger
        )
        var wards: [SeedWard] = []
        for try await (legacy, district, ward, urban) in rows.decode((String, String, String, Bool).self) {
            wards.append(SeedWard(legacy: legacy, district: district, ward: ward, urban: urban))
        }
        return wards
    }

    /// Whole households from person `start` on, until they hold at least `minimum` people or
    /// reach person `end` (the household there is cut short). Loading in chunks of whole
    /// households keeps the population independent of the chunk size.
    public static func households(
        from start: Int,
        upTo end: Int,
        atLeast minimum: Int,
        seed: UInt64,
        wards: [SeedWard],
        today: LocalDate = .today()
    ) -> [SyntheticHousehold] {
        let table = SyntheticHousehold.wardTable(wards)
        var households: [SyntheticHousehold] = []
        var index = start
        while index < end && index - start < minimum {
            let household = SyntheticHousehold.make(index: index, maxSize: end - index, seed: seed, wards: table, today: today)
            households.append(household)
            index += household.members.count
        }
        return households
    }

    /// People `start ..< start + count` as an import CSV.
    public static func csv(start: Int, count: Int, seed: UInt64, wards: [SeedWard], today: LocalDate = .today()) -> String {
        self.csv(self.households(from: start, upTo: start + count, atLeast: count, seed: seed, wards: wards, today: today), today: today)
    }

    /// Households as an import CSV: the status is the one recognised at the last yearly review.
    static func csv(_ households: [SyntheticHousehold], today: LocalDate) -> String {
        var lines = [
            "full_name,cccd,birth_date,sex,ward_code,legacy_ward_code,phone,ethnicity,household_code,head_name,household_status,status_valid_from,decision_ref,occupation_codes"
        ]
        lines.reserveCapacity(households.reduce(1) { $0 + $1.members.count })
        let validFrom = "\(today.year)-01-01"
        for household in households {
            let code = "SEED-\(household.firstIndex)"
            let head = household.members[0].person.fullName
            let decision = household.status == .none ? "" : "QĐ công nhận kết quả rà soát cuối năm \(today.year - 1)"
            for member in household.members {
                let person = member.person
                lines.append(
                    [
                        person.fullName, person.cccd, person.birthDate.description, person.sex.rawValue, household.ward.ward, household.ward.legacy,
                        person.phone, member.ethnicity ?? "", code, head, household.status.rawValue, validFrom, decision,
                        member.occupations.joined(separator: ";"),
                    ].joined(separator: ",")
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Loads `count` synthetic workers in files of about `chunk` people; returns how many were imported.
    public func seed(count: Int, start: Int = 0, seed: UInt64 = 2025, chunk: Int = 50_000, today: LocalDate = .today()) async throws -> Int {
        let wards = try await self.homeWards()
        var imported = 0
        var offset = start
        while offset < start + count {
            let households = Self.households(from: offset, upTo: start + count, atLeast: chunk, seed: seed, wards: wards, today: today)
            let size = households.reduce(0) { $0 + $1.members.count }
            let text = Self.csv(households, today: today)
            let (report, _) = try await WorkerImporter(client: self.client, logger: self.logger).importWorkers(text, partial: true, actor: nil)
            if let error = report.errors.first {
                self.logger.warning(
                    "seed rows refused by the importer",
                    metadata: ["count": "\(report.errors.count)", "first": "\(error.column): \(error.message)"]
                )
            }
            try await self.addFacts(households)
            imported += report.imported
            offset += size
        }
        return imported
    }
}
