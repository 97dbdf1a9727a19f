import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Imports a commune's annual list: rows are validated in `WorkerImportParser`, copied with
/// `COPY` into a staging table, checked against the reference lists in SQL, then merged into
/// households, statuses, workers and occupations in one transaction. Re-importing the same file
/// changes nothing: people are matched by CCCD (or name, birth date and ward when there is none),
/// households by their commune code within the ward.
public struct WorkerImporter: Sendable {
    /// What happened to a file.
    public struct Report: Sendable, Codable {
        public var totalRows: Int
        public var imported: Int
        public var unchanged: Int
        public var errors: [ImportError]
        /// True when nothing was written because of errors (all-or-nothing mode).
        public var rolledBack: Bool
    }

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Imports `text`; with `partial`, good rows go in even when others fail.
    public func importWorkers(_ text: String, partial: Bool, actor: Principal?) async throws -> (report: Report, errorFile: [UInt8]?) {
        let parsed = WorkerImportParser(today: .today()).parse(text)
        var errors = parsed.errors
        let total = parsed.rawLines.count
        if errors.contains(where: { $0.line == 1 }) {
            return (Report(totalRows: total, imported: 0, unchanged: 0, errors: errors, rolledBack: true), Self.errorFile(parsed, errors))
        }
        let logger = self.logger
        do {
            let counts = try await self.client.withTransaction(logger: logger) { tx in
                try await tx.allowLongWork(.job, logger: logger)
                try await Self.stage(parsed.rows, on: tx, logger: logger)
                errors += try await Self.referenceErrors(on: tx, logger: logger)
                if !errors.isEmpty && !partial { throw Rollback() }
                let lines = Set(errors.map(\.line))
                try await tx.query("DELETE FROM import_rows WHERE line = ANY(\(Array(lines))::int[])", logger: logger)
                let counts = try await Self.merge(on: tx, actor: actor, logger: logger)
                try await AuditLog.record(
                    on: tx,
                    actor: actor,
                    action: "import",
                    entity: "workers",
                    entityID: nil,
                    after: ["rows": "\(total)", "imported": "\(counts.imported)", "errors": "\(errors.count)"],
                    logger: logger
                )
                return counts
            }
            let sorted = errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
            return (
                Report(totalRows: total, imported: counts.imported, unchanged: counts.unchanged, errors: sorted, rolledBack: false),
                sorted.isEmpty ? nil : Self.errorFile(parsed, sorted)
            )
        } catch let error as PostgresTransactionError where error.closureError is Rollback {
            let sorted = errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
            return (Report(totalRows: total, imported: 0, unchanged: 0, errors: sorted, rolledBack: true), Self.errorFile(parsed, sorted))
        }
    }

    /// Thrown to undo the transaction when a file has errors and partial import is off.
    struct Rollback: Error {}

    /// Creates the staging table and copies the valid rows into it.
    static func stage(_ rows: [WorkerImportRow], on tx: PostgresConnection, logger: Logger) async throws {
        // Sorts and hashes of 100,000 rows stay in memory rather than spilling to disk.
        try await tx.query("SET LOCAL work_mem = '64MB'", logger: logger)
        try await tx.query(
            """
            CREATE TEMP TABLE import_staged (
                line int, full_name text, cccd text, birth_date date, sex text, ward_code text, legacy_ward_code text,
                phone text, ethnicity text, occupation_codes text[], household_code text, head_name text, household_status text,
                status_valid_from date, decision_ref text, standard text, cmnd text
            ) ON COMMIT DROP
            """,
            logger: logger
        )
        let columns = [
            "line", "full_name", "cccd", "birth_date", "sex", "ward_code", "legacy_ward_code", "phone", "ethnicity",
            "occupation_codes", "household_code", "head_name", "household_status", "status_valid_from", "decision_ref", "standard", "cmnd",
        ]
        try await tx.copyFrom(table: "import_staged", columns: columns, logger: logger) { writer in
            var buffer = ByteBuffer()
            for (index, row) in rows.enumerated() {
                let fields: [String?] = [
                    "\(row.line)", row.fullName, row.cccd, row.birthDate.description, row.sex.rawValue, row.wardCode, row.legacyWardCode,
                    row.phone, row.ethnicity, "{" + row.occupationCodes.joined(separator: ",") + "}", row.householdCode, row.headName,
                    row.householdStatus?.rawValue, row.statusValidFrom?.description, row.decisionRef,
                    row.householdStatus.flatMap { status in row.statusValidFrom.map { HouseholdStandard.default(for: status, from: $0).rawValue } },
                    row.cmnd,
                ]
                for (column, field) in fields.enumerated() {
                    if column > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                    Self.writeCopyText(field, to: &buffer)
                }
                buffer.writeInteger(UInt8(ascii: "\n"))
                if index % 1000 == 999 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    /// Writes a value in COPY's text format: `\N` for NULL, backslash escapes for tab, newline,
    /// carriage return and backslash; everything else as its UTF-8 bytes.
    static func writeCopyText(_ value: String?, to buffer: inout ByteBuffer) {
        guard let value else {
            buffer.writeStaticString("\\N")
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// Ward and occupation codes checked against the reference lists, and household statuses
    /// against what is already recorded; one error per bad cell.
    static func referenceErrors(on tx: PostgresConnection, logger: Logger) async throws -> [ImportError] {
        // A legacy code alone resolves to its 2025 ward when the crosswalk gives exactly one.
        try await tx.query(
            """
            CREATE TEMP TABLE import_rows ON COMMIT DROP AS
            SELECT s.*, COALESCE(s.ward_code, c.ward_code) AS resolved_ward
            FROM import_staged s LEFT JOIN (
                SELECT legacy_ward_code, min(ward_code) AS ward_code FROM ward_crosswalk GROUP BY legacy_ward_code HAVING count(*) = 1
            ) c ON s.ward_code IS NULL AND c.legacy_ward_code = s.legacy_ward_code
            """,
            logger: logger
        )
        let rows = try await tx.query(
            """
            SELECT line, 'ward_code', 'Mã xã/phường ' || ward_code || ' không có trong danh mục 2025.' FROM import_rows r
            WHERE ward_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM wards_2025 w WHERE w.ward_code = r.ward_code)
            UNION ALL
            SELECT line, 'legacy_ward_code', 'Mã xã cũ ' || legacy_ward_code || ' không có trong danh mục trước 01/07/2025.' FROM import_rows r
            WHERE legacy_ward_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM legacy_wards w WHERE w.ward_code = r.legacy_ward_code)
            UNION ALL
            SELECT line, 'legacy_ward_code', 'Xã cũ ' || legacy_ward_code || ' không thuộc xã/phường ' || ward_code || ' theo bảng chuyển đổi.' FROM import_rows r
            WHERE ward_code IS NOT NULL AND legacy_ward_code IS NOT NULL
              AND EXISTS (SELECT 1 FROM legacy_wards w WHERE w.ward_code = r.legacy_ward_code)
              AND NOT EXISTS (SELECT 1 FROM ward_crosswalk c WHERE c.legacy_ward_code = r.legacy_ward_code AND c.ward_code = r.ward_code)
            UNION ALL
            SELECT line, 'ward_code', 'Xã cũ ' || legacy_ward_code || ' đã được chia cho nhiều xã/phường mới: hãy ghi mã xã/phường mới.' FROM import_rows r
            WHERE ward_code IS NULL AND resolved_ward IS NULL AND EXISTS (SELECT 1 FROM legacy_wards w WHERE w.ward_code = r.legacy_ward_code)
            UNION ALL
            SELECT line, 'occupation_codes', 'Mã nghề ' || oc.code || ' không có trong danh mục nghề nghiệp.'
            FROM import_rows r, unnest(r.occupation_codes) AS oc(code)
            WHERE NOT EXISTS (SELECT 1 FROM occupations o WHERE o.code = oc.code)
            UNION ALL
            SELECT r.line, 'household_status', 'Hộ ' || r.household_code || ' đã có tình trạng khác trong thời gian này.' FROM import_rows r
            JOIN households h ON h.ward_code = r.resolved_ward AND h.household_code = r.household_code
            JOIN household_statuses s ON s.household_id = h.id AND daterange(s.valid_from, s.valid_to, '[]') @> r.status_valid_from
            WHERE s.status <> r.household_status AND NOT (s.valid_to IS NULL AND s.valid_from < r.status_valid_from)
            UNION ALL
            SELECT r.line, 'household_status', 'Các dòng của hộ ' || r.household_code || ' ghi tình trạng hoặc ngày công nhận khác nhau.'
            FROM import_rows r JOIN (
                SELECT resolved_ward, household_code FROM import_rows WHERE household_code IS NOT NULL
                GROUP BY resolved_ward, household_code HAVING count(DISTINCT (household_status, status_valid_from)) > 1
            ) d ON d.resolved_ward = r.resolved_ward AND d.household_code = r.household_code
            ORDER BY 1, 2
            """,
            logger: logger
        )
        var errors: [ImportError] = []
        for try await (line, column, message) in rows.decode((Int, String, String).self) {
            errors.append(ImportError(line: line, column: column, message: message))
        }
        return errors
    }

    /// Households, statuses, workers and occupations from the staging table; returns counts.
    static func merge(on tx: PostgresConnection, actor: Principal?, logger: Logger) async throws -> (imported: Int, unchanged: Int) {
        let staff = actor?.staffID
        try await tx.query(
            """
            INSERT INTO households (head_name, ward_code, household_code, created_by)
            SELECT DISTINCT ON (resolved_ward, household_code) head_name, resolved_ward, household_code, \(staff)::bigint
            FROM import_rows WHERE household_code IS NOT NULL
            ORDER BY resolved_ward, household_code, line
            ON CONFLICT (ward_code, household_code, province_code) DO NOTHING
            """,
            logger: logger
        )
        // A new review's status closes the open-ended earlier one the day before it starts.
        try await tx.query(
            """
            UPDATE household_statuses s SET valid_to = r.status_valid_from - 1
            FROM import_rows r JOIN households h ON h.ward_code = r.resolved_ward AND h.household_code = r.household_code
            WHERE s.household_id = h.id AND s.valid_to IS NULL AND s.valid_from < r.status_valid_from
              AND s.status <> r.household_status
            """,
            logger: logger
        )
        try await tx.query(
            """
            INSERT INTO household_statuses (household_id, status, valid_from, standard, decision_ref, created_by)
            SELECT DISTINCT ON (h.id) h.id, r.household_status, r.status_valid_from, r.standard, r.decision_ref, \(staff)::bigint
            FROM import_rows r JOIN households h ON h.ward_code = r.resolved_ward AND h.household_code = r.household_code
            WHERE NOT EXISTS (SELECT 1 FROM household_statuses s WHERE s.household_id = h.id
                              AND daterange(s.valid_from, s.valid_to, '[]') @> r.status_valid_from)
            ORDER BY h.id, r.line
            """,
            logger: logger
        )
        // People already registered are matched by CCCD, or by exact name, birth date and ward
        // when there is none (through the indexed unaccented name). New people get their ids here,
        // in file order, so their occupations join on the id rather than on a second lookup.
        try await tx.query(
            """
            CREATE TEMP TABLE import_new ON COMMIT DROP AS
            SELECT nextval(pg_get_serial_sequence('workers', 'id')) AS worker_id, n.*
            FROM (
                SELECT r.*, h.id AS household_id
                FROM import_rows r LEFT JOIN households h ON h.ward_code = r.resolved_ward AND h.household_code = r.household_code
                WHERE NOT EXISTS (SELECT 1 FROM workers w WHERE w.cccd = r.cccd)
                  AND (r.cccd IS NOT NULL OR NOT EXISTS (
                        SELECT 1 FROM workers w WHERE w.search_name = lower(immutable_unaccent(r.full_name)) AND w.birth_date = r.birth_date
                          AND w.full_name = r.full_name AND w.ward_code = r.resolved_ward AND w.cccd IS NULL))
                ORDER BY r.line
            ) n
            """,
            logger: logger
        )
        try await tx.query(
            """
            INSERT INTO workers (id, full_name, cccd, cmnd, birth_date, sex, ward_code, legacy_ward_code, phone, ethnicity, household_id, created_by)
            OVERRIDING SYSTEM VALUE
            SELECT worker_id, full_name, cccd, cmnd, birth_date, sex, resolved_ward, legacy_ward_code, phone, ethnicity, household_id, \(staff)::bigint
            FROM import_new ORDER BY worker_id
            """,
            logger: logger
        )
        try await tx.query(
            """
            INSERT INTO worker_occupations (worker_id, occupation_code)
            SELECT worker_id, unnest(occupation_codes) FROM import_new
            """,
            logger: logger
        )
        let inserted = try await tx.query("SELECT (SELECT count(*) FROM import_new)::int, (SELECT count(*) FROM import_rows)::int", logger: logger)
            .decode((Int, Int).self).first(where: { _ in true })!
        return (inserted.0, inserted.1 - inserted.0)
    }

    /// The rows that failed, as the clerk sent them, with an added `Lỗi` column; it imports as is once fixed.
    static func errorFile(_ parsed: WorkerImportParser.Result, _ errors: [ImportError]) -> [UInt8] {
        let writer = CSVWriter()
        let errorIndex = parsed.header.firstIndex { WorkerImportParser.errorColumnAliases.contains($0.lowercased()) }
        let header = parsed.header.enumerated().filter { $0.offset != errorIndex }.map(\.element)
        var bytes = CSVWriter.byteOrderMark + writer.row(header + [WorkerImportParser.errorColumnTitle])
        let byLine = Dictionary(grouping: errors, by: \.line)
        for line in byLine.keys.sorted() {
            let messages = byLine[line]!.map { "\($0.column): \($0.message)" }.joined(separator: "; ")
            let cells = (parsed.rawLines[line] ?? []).enumerated().filter { $0.offset != errorIndex }.map(\.element)
            bytes += writer.row(cells + [messages])
        }
        return bytes
    }
}
