import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Makes a realistic synthetic population (households of the home province, their statuses and
/// members) as a commune import file, and loads it through the same `WorkerImporter` clerks use.
public struct PopulationSeeder: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Common occupations in the province (ISCO unit groups).
    static let occupations = ["6111", "9211", "7212", "8121", "5120", "7411", "9329", "8322", "7531", "5223", "8153", "9313", "6221"]
    static let statuses: [(HouseholdStatus, Int)] = [
        (.poor, 30), (.nearPoor, 35), (.recentlyEscapedPoverty, 10), (.recentlyEscapedNearPoverty, 5), (.lowIncome, 5), (.none, 15),
    ]

    /// The home province's legacy wards and the 2025 ward each became (default mapping).
    public func homeWards(province: String = "93") async throws -> [(legacy: String, ward: String)] {
        let rows = try await self.client.query(
            """
            SELECT lw.ward_code, c.ward_code FROM legacy_wards lw
            JOIN ward_crosswalk c ON c.legacy_ward_code = lw.ward_code AND c.is_default
            WHERE lw.province_code = \(province) ORDER BY lw.ward_code
            """, logger: self.logger)
        var wards: [(String, String)] = []
        for try await row in rows.decode((String, String).self) { wards.append(row) }
        return wards
    }

    /// People `start ..< start + count` as an import CSV (households of one to four members).
    public static func csv(start: Int, count: Int, seed: UInt64, wards: [(legacy: String, ward: String)], today: LocalDate = .today()) -> String {
        var generator = SeededGenerator(seed: seed &+ UInt64(start))
        var lines = ["full_name,cccd,birth_date,sex,ward_code,legacy_ward_code,phone,household_code,head_name,household_status,status_valid_from,occupation_codes"]
        lines.reserveCapacity(count + 1)
        var index = start
        while index < start + count {
            let size = min(Int.random(in: 1...4, using: &generator), start + count - index)
            let place = wards.randomElement(using: &generator)!
            let status = generator.weighted(statuses)
            let code = "SEED-\(index)"
            var head: String? = nil
            for _ in 0..<size {
                let person = SyntheticPerson.make(index: index, using: &generator, today: today)
                head = head ?? person.fullName
                let occupation = occupations.randomElement(using: &generator)!
                lines.append([
                    person.fullName, person.cccd, person.birthDate.description, person.sex.rawValue, place.ward, place.legacy,
                    person.phone, code, head!, status.rawValue, "2026-01-01", occupation,
                ].joined(separator: ","))
                index += 1
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Loads `count` synthetic workers in chunks; returns how many were imported.
    public func seed(count: Int, start: Int = 0, seed: UInt64 = 2025, chunk: Int = 50_000) async throws -> Int {
        let wards = try await self.homeWards()
        var imported = 0
        var offset = start
        while offset < start + count {
            let size = min(chunk, start + count - offset)
            let text = Self.csv(start: offset, count: size, seed: seed, wards: wards)
            let (report, _) = try await WorkerImporter(client: self.client, logger: self.logger).importWorkers(text, partial: true, actor: nil)
            imported += report.imported
            offset += size
        }
        return imported
    }
}
