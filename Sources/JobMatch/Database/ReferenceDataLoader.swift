import Crypto
import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Loads `sql/reference/*.csv` (administrative units, crosswalk, ISCO-08 and its Vietnamese titles)
/// into the reference tables once, in one transaction, recording each file's checksum. A file added
/// later (as the titles were) is loaded at the next start of a database that lacks it.
public struct ReferenceDataLoader: Sendable {
    public let directory: String
    public let logger: Logger

    public init(sqlDirectory: String, logger: Logger) {
        self.directory = sqlDirectory + "/reference"
        self.logger = logger
    }

    /// Loads every file not loaded yet. Safe to call at every start.
    public func load(_ client: PostgresClient) async throws {
        // Everything loaded already: no lock (which the service's role may not take).
        let files = ["admin_units_legacy.csv", "admin_units_2025.csv", "admin_units_legacy_to_2025.csv", "isco08.csv", "occupation_titles_vi.csv"]
        let done = try await client.query("SELECT name FROM reference_data_loads", logger: self.logger).decode(String.self).collect()
        if Set(files).isSubset(of: Set(done)) { return }
        try await client.withTransaction(logger: self.logger) { tx in
            try await tx.allowLongWork(.job, logger: self.logger)
            try await tx.query("LOCK TABLE reference_data_loads IN EXCLUSIVE MODE", logger: self.logger)
            let rows = try await tx.query("SELECT name FROM reference_data_loads", logger: self.logger)
            var loaded: Set<String> = []
            for try await name in rows.decode(String.self) { loaded.insert(name) }
            // Order matters: the crosswalk refers to both ward lists.
            for file in files where !loaded.contains(file) {
                let (columns, checksum) = try self.read(file)
                try await self.insert(file, columns: columns, on: tx)
                try await tx.query(
                    "INSERT INTO reference_data_loads (name, checksum, row_count) VALUES (\(file), \(checksum), \(columns.first?.count ?? 0))",
                    logger: self.logger
                )
                self.logger.info("Loaded reference data", metadata: ["file": "\(file)", "rows": "\(columns.first?.count ?? 0)"])
            }
            // The 2025 wards' legacy district and province follow the crosswalk; the planner gets
            // the new tables' statistics now rather than when autovacuum comes round.
            try await tx.query("SELECT refresh_ward_legacy_units()", logger: self.logger)
            try await tx.query(
                "ANALYZE legacy_districts, legacy_wards, wards_2025, ward_crosswalk, ward_legacy_units, occupations",
                logger: self.logger
            )
        }
    }

    /// The file's columns (header dropped) and its SHA-256.
    private func read(_ file: String) throws -> ([[String]], String) {
        let data = try Data(contentsOf: URL(fileURLWithPath: self.directory + "/" + file))
        let rows = try CSVReader.parse(String(decoding: data, as: UTF8.self)).dropFirst().filter { $0 != [""] }
        let width = rows.first?.count ?? 0
        var columns = Array(repeating: [String](), count: width)
        for row in rows {
            for index in 0..<width { columns[index].append(index < row.count ? row[index] : "") }
        }
        let checksum = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return (columns, checksum)
    }

    private func insert(_ file: String, columns c: [[String]], on tx: PostgresConnection) async throws {
        switch file {
        case "admin_units_legacy.csv":
            // Five island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) have no wards: skipped.
            try await tx.query(
                """
                INSERT INTO legacy_districts (district_code, district_name, province_code, province_name)
                SELECT DISTINCT d, dn, p, pn FROM unnest(\(c[0])::text[], \(c[1])::text[], \(c[2])::text[], \(c[3])::text[]) AS t(p, pn, d, dn)
                """,
                logger: self.logger
            )
            try await tx.query(
                """
                INSERT INTO legacy_wards (province_code, province_name, district_code, district_name, ward_code, ward_name, ward_type, lat, lon)
                SELECT p, pn, d, dn, w, wn, wt, NULLIF(lat, '')::float8, NULLIF(lon, '')::float8
                FROM unnest(\(c[0])::text[], \(c[1])::text[], \(c[2])::text[], \(c[3])::text[], \(c[4])::text[],
                            \(c[5])::text[], \(c[6])::text[], \(c[7])::text[], \(c[8])::text[]) AS t(p, pn, d, dn, w, wn, wt, lat, lon)
                WHERE w <> ''
                """,
                logger: self.logger
            )
        case "admin_units_2025.csv":
            try await tx.query(
                """
                INSERT INTO wards_2025 (province_code, province_name, ward_code, ward_name, ward_type, lat, lon, area_km2)
                SELECT p, pn, w, wn, wt, NULLIF(lat, '')::float8, NULLIF(lon, '')::float8, NULLIF(area, '')::float8
                FROM unnest(\(c[0])::text[], \(c[1])::text[], \(c[2])::text[], \(c[3])::text[], \(c[4])::text[],
                            \(c[5])::text[], \(c[6])::text[], \(c[7])::text[]) AS t(p, pn, w, wn, wt, lat, lon, area)
                """,
                logger: self.logger
            )
        case "admin_units_legacy_to_2025.csv":
            try await tx.query(
                """
                INSERT INTO ward_crosswalk (legacy_ward_code, ward_code, is_default)
                SELECT * FROM unnest(\(c[0])::text[], \(c[1])::text[], \(c[2])::boolean[])
                """,
                logger: self.logger
            )
        case "isco08.csv":
            try await tx.query(
                """
                INSERT INTO occupations (code, level, parent_code, title_en)
                SELECT code, level, CASE WHEN level > 1 THEN left(code, level - 1) END, title
                FROM unnest(\(c[0])::text[], \(c[1])::smallint[], \(c[2])::text[]) AS t(code, level, title)
                ORDER BY level
                """,
                logger: self.logger
            )
        case "occupation_titles_vi.csv":
            // Every code of the file must be an occupation already loaded: a stray code is an error in the file.
            let rows = try await tx.query(
                """
                WITH t AS (SELECT * FROM unnest(\(c[0])::text[], \(c[1])::text[]) AS t(code, title)),
                     updated AS (UPDATE occupations o SET title_vi = normalize(t.title, NFC) FROM t WHERE o.code = t.code RETURNING o.code)
                SELECT (SELECT count(*) FROM t) - (SELECT count(*) FROM updated)
                """,
                logger: self.logger
            )
            let missing = try await rows.first(Int64.self) ?? 0
            guard missing == 0 else { throw ReferenceFileError(file: file, problem: "\(missing) codes are not ISCO-08 occupations") }
        default:
            break
        }
    }
}

/// A reference file that does not fit the tables it is loaded into.
struct ReferenceFileError: Error, CustomStringConvertible {
    let file: String
    let problem: String
    var description: String { "\(self.file): \(self.problem)" }
}
