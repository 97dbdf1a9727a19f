import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// Merges a duplicate worker record into the record that is kept, and undoes such a merge.
///
/// Nothing is deleted: the duplicate stays, marked `merged_into`; empty fields of the kept record
/// are filled from it; its consents, enrolments, training support, overseas contracts, referrals
/// and preferred areas move to the kept record (unless the kept record already has the same one,
/// in which case the row stays with the duplicate); its occupations and skills are copied. Each
/// change is written down in `worker_merges`, which is what the undo reverses. Placements are a
/// ledger and never move: counts of people count `COALESCE(merged_into, id)`.
struct WorkerMerger {
    let connection: PostgresConnection
    let logger: Logger

    /// Fields of `workers` taken from the duplicate when the kept record has none. A name in the
    /// list is also the SQL column (and `disability` stands for type and severity together).
    static let fillableFields = [
        "cccd", "cmnd", "phone", "ethnicity", "disability", "legacy_ward_code", "household_id", "education_level",
        "qualification", "major", "current_job", "unemployed_since", "max_commute_km",
    ]

    /// Tables whose rows move to the kept record, with the condition under which a row must stay
    /// (the kept record already has one like it). `$kept` is the kept record's id.
    static let movableTables: [(table: String, staysWhen: String)] = [
        (
            "worker_consents",
            "t.withdrawn_at IS NULL AND EXISTS (SELECT 1 FROM worker_consents o WHERE o.worker_id = $kept AND o.purpose = t.purpose AND o.withdrawn_at IS NULL)"
        ),
        ("enrolments", "EXISTS (SELECT 1 FROM enrolments o WHERE o.worker_id = $kept AND o.course_id = t.course_id)"),
        ("training_supports", "EXISTS (SELECT 1 FROM training_supports o WHERE o.worker_id = $kept)"),
        ("overseas_contracts", "false"),
        ("referrals", "EXISTS (SELECT 1 FROM referrals o WHERE o.worker_id = $kept AND o.vacancy_id = t.vacancy_id)"),
        (
            "worker_preferred_areas",
            "EXISTS (SELECT 1 FROM worker_preferred_areas o WHERE o.worker_id = $kept AND (o.ward_code = t.ward_code OR o.legacy_district_code = t.legacy_district_code))"
        ),
    ]

    /// What a merge did (or undid).
    struct Outcome: ResponseCodable {
        let id: Int64
        let keptId: Int64
        let mergedId: Int64
        let reason: String?
        let filled: [String]
        let moved: [String: [Int64]]
        let copied: [String: [String]]
        /// Rows that stayed with the duplicate because the kept record already had one like them.
        let leftWithDuplicate: [String: Int]
        let mergedAt: String
        let undoneAt: String?
    }

    /// Merges `mergedID` into `keptID`; both rows are locked for the transaction.
    func merge(keep keptID: Int64, duplicate mergedID: Int64, reason: String?, staffID: Int64?) async throws -> Outcome {
        guard keptID != mergedID else { throw AppError.invalid(field: "duplicate_id", "Không thể gộp một hồ sơ với chính nó.") }
        let records = try await self.lock([keptID, mergedID])
        guard let kept = records[keptID] else { throw AppError.notFound("người lao động \(keptID)") }
        guard let merged = records[mergedID] else {
            throw AppError.invalid(field: "duplicate_id", "Không tìm thấy người lao động có mã \(mergedID).")
        }
        for record in [kept, merged] {
            if let into = record.mergedInto {
                throw AppError.conflict(
                    "Hồ sơ \(record.id) đã được gộp vào hồ sơ \(into).",
                    field: record.id == keptID ? nil : "duplicate_id",
                    extra: ["existing_id": into]
                )
            }
            if record.anonymised { throw AppError.conflict("Hồ sơ \(record.id) đã được ẩn danh, không thể gộp.") }
        }
        if kept.hasCCCD && merged.hasCCCD {
            throw AppError.conflict("Hai hồ sơ có hai số CCCD khác nhau nên là hai người khác nhau; không thể gộp.", field: "duplicate_id")
        }
        if merged.mergedFrom > 0 {
            throw AppError.conflict(
                "Đã có hồ sơ khác được gộp vào hồ sơ \(mergedID). Hãy gộp hồ sơ \(keptID) vào hồ sơ \(mergedID), hoặc hủy lần gộp trước.",
                field: "duplicate_id"
            )
        }

        var filled: [String] = []
        for field in Self.fillableFields where try await self.fill(field, kept: keptID, from: mergedID) {
            filled.append(field)
        }
        var moved: [String: [Int64]] = [:]
        var left: [String: Int] = [:]
        for (table, staysWhen) in Self.movableTables {
            let condition = staysWhen.replacingOccurrences(of: "$kept", with: "$1")
            let ids = try await self.ids(
                "UPDATE \(table) t SET worker_id = $1 WHERE t.worker_id = $2 AND NOT (\(condition)) RETURNING t.id",
                keptID,
                mergedID
            )
            if !ids.isEmpty { moved[table] = ids.sorted() }
            let stayed = try await self.ids("SELECT id FROM \(table) WHERE worker_id = $1", mergedID).count
            if stayed > 0 { left[table] = stayed }
        }
        let occupations = try await self.connection.query(
            """
            INSERT INTO worker_occupations (worker_id, occupation_code)
            SELECT \(keptID), occupation_code FROM worker_occupations WHERE worker_id = \(mergedID)
            ON CONFLICT DO NOTHING RETURNING occupation_code
            """,
            logger: self.logger
        ).collect(String.self)
        let skills = try await self.connection.query(
            """
            INSERT INTO worker_skills (worker_id, skill_id)
            SELECT \(keptID), skill_id FROM worker_skills WHERE worker_id = \(mergedID)
            ON CONFLICT DO NOTHING RETURNING skill_id
            """,
            logger: self.logger
        ).collect(Int64.self)
        var copied: [String: [String]] = [:]
        if !occupations.isEmpty { copied["worker_occupations"] = occupations.sorted() }
        if !skills.isEmpty { copied["worker_skills"] = skills.sorted().map(String.init) }

        try await self.connection.query(
            "UPDATE workers SET merged_into = \(keptID), merged_at = now() WHERE id = \(mergedID)",
            logger: self.logger
        )
        let row = try await self.connection.query(
            """
            INSERT INTO worker_merges (kept_id, merged_id, reason, filled, moved, copied, merged_by)
            VALUES (\(keptID), \(mergedID), \(reason), \(filled), \(Self.json(moved))::jsonb, \(Self.json(copied))::jsonb, \(staffID))
            RETURNING id, merged_at::text
            """,
            logger: self.logger
        ).decode((Int64, String).self).first(where: { _ in true })!
        return Outcome(
            id: row.0,
            keptId: keptID,
            mergedId: mergedID,
            reason: reason,
            filled: filled,
            moved: moved,
            copied: copied,
            leftWithDuplicate: left,
            mergedAt: row.1,
            undoneAt: nil
        )
    }

    /// Reverses merge `mergeID`: rows move back, copies and filled fields are removed, the
    /// duplicate becomes a record of its own again.
    func undo(_ mergeID: Int64, staffID: Int64?) async throws -> Outcome {
        let rows = try await self.connection.query(
            """
            SELECT kept_id, merged_id, reason, filled, moved::text, copied::text, merged_at::text, undone_at IS NOT NULL
            FROM worker_merges WHERE id = \(mergeID) FOR UPDATE
            """,
            logger: self.logger
        )
        guard
            let (keptID, mergedID, reason, filled, movedJSON, copiedJSON, mergedAt, undone) =
                try await rows.decode((Int64, Int64, String?, [String], String, String, String, Bool).self).first(where: { _ in true })
        else { throw AppError.notFound("lần gộp hồ sơ \(mergeID)") }
        guard !undone else { throw AppError.conflict("Lần gộp \(mergeID) đã được hủy trước đó.") }
        let records = try await self.lock([keptID, mergedID])
        guard let kept = records[keptID], records[mergedID]?.mergedInto == keptID, kept.mergedInto == nil else {
            throw AppError.conflict("Hồ sơ \(keptID) đã được gộp tiếp vào hồ sơ khác; hãy hủy lần gộp sau trước.")
        }
        let moved = try JSONDecoder().decode([String: [Int64]].self, from: Data(movedJSON.utf8))
        let copied = try JSONDecoder().decode([String: [String]].self, from: Data(copiedJSON.utf8))

        for (table, _) in Self.movableTables {
            guard let ids = moved[table] else { continue }
            try await self.connection.query(
                PostgresQuery(
                    unsafeSQL: "UPDATE \(table) SET worker_id = $1 WHERE id = ANY($2) AND worker_id = $3",
                    binds: Self.binds(mergedID, ids, keptID)
                ),
                logger: self.logger
            )
        }
        try await self.connection.query(
            "DELETE FROM worker_occupations WHERE worker_id = \(keptID) AND occupation_code = ANY(\(copied["worker_occupations"] ?? []))",
            logger: self.logger
        )
        try await self.connection.query(
            "DELETE FROM worker_skills WHERE worker_id = \(keptID) AND skill_id = ANY(\((copied["worker_skills"] ?? []).compactMap { Int64($0) }))",
            logger: self.logger
        )
        // The duplicate becomes active first, so that its CCCD can go back to it.
        try await self.connection.query("UPDATE workers SET merged_into = NULL, merged_at = NULL WHERE id = \(mergedID)", logger: self.logger)
        for field in filled where Self.fillableFields.contains(field) {
            try await self.unfill(field, kept: keptID, from: mergedID)
        }
        let undoneAt = try await self.connection.query(
            "UPDATE worker_merges SET undone_at = now(), undone_by = \(staffID) WHERE id = \(mergeID) RETURNING undone_at::text",
            logger: self.logger
        ).first(String.self)
        return Outcome(
            id: mergeID,
            keptId: keptID,
            mergedId: mergedID,
            reason: reason,
            filled: filled,
            moved: moved,
            copied: copied,
            leftWithDuplicate: [:],
            mergedAt: mergedAt,
            undoneAt: undoneAt
        )
    }

    /// A locked worker row, as far as merging needs it.
    struct Record {
        let id: Int64
        let hasCCCD: Bool
        let mergedInto: Int64?
        let anonymised: Bool
        /// How many records are merged into this one.
        let mergedFrom: Int
    }

    private func lock(_ ids: [Int64]) async throws -> [Int64: Record] {
        let rows = try await self.connection.query(
            """
            SELECT id, cccd IS NOT NULL, merged_into, anonymised_at IS NOT NULL,
                   (SELECT count(*) FROM workers m WHERE m.merged_into = w.id)::int
            FROM workers w WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE
            """,
            logger: self.logger
        )
        var records: [Int64: Record] = [:]
        for try await (id, hasCCCD, mergedInto, anonymised, mergedFrom) in rows.decode((Int64, Bool, Int64?, Bool, Int).self) {
            records[id] = Record(id: id, hasCCCD: hasCCCD, mergedInto: mergedInto, anonymised: anonymised, mergedFrom: mergedFrom)
        }
        return records
    }

    /// Copies `field` from the duplicate when the kept record has none; true when it did.
    private func fill(_ field: String, kept: Int64, from merged: Int64) async throws -> Bool {
        switch field {
        case "cccd":
            // The CCCD is unique: it leaves the duplicate before it reaches the kept record.
            guard
                let cccd = try await self.connection.query(
                    "SELECT d.cccd FROM workers d, workers k WHERE d.id = \(merged) AND k.id = \(kept) AND k.cccd IS NULL AND d.cccd IS NOT NULL",
                    logger: self.logger
                ).first(String.self)
            else { return false }
            try await self.connection.query("UPDATE workers SET cccd = NULL WHERE id = \(merged)", logger: self.logger)
            try await self.connection.query("UPDATE workers SET cccd = \(cccd) WHERE id = \(kept)", logger: self.logger)
            return true
        case "disability":
            return try await self.count(
                """
                UPDATE workers k SET disability_type = d.disability_type, disability_severity = d.disability_severity
                FROM workers d WHERE k.id = $1 AND d.id = $2 AND k.disability_type IS NULL AND d.disability_type IS NOT NULL
                RETURNING k.id
                """,
                kept,
                merged
            ) > 0
        default:
            return try await self.count(
                "UPDATE workers k SET \(field) = d.\(field) FROM workers d WHERE k.id = $1 AND d.id = $2 AND k.\(field) IS NULL AND d.\(field) IS NOT NULL RETURNING k.id",
                kept,
                merged
            ) > 0
        }
    }

    /// Empties a field the merge filled, unless it was changed since (then the change stays).
    private func unfill(_ field: String, kept: Int64, from merged: Int64) async throws {
        switch field {
        case "cccd":
            guard
                let cccd = try await self.connection.query("SELECT cccd FROM workers WHERE id = \(kept)", logger: self.logger).first(String?.self)
                    ?? nil
            else { return }
            try await self.connection.query("UPDATE workers SET cccd = NULL WHERE id = \(kept)", logger: self.logger)
            try await self.connection.query("UPDATE workers SET cccd = \(cccd) WHERE id = \(merged)", logger: self.logger)
        case "disability":
            _ = try await self.count(
                """
                UPDATE workers k SET disability_type = NULL, disability_severity = NULL FROM workers d
                WHERE k.id = $1 AND d.id = $2 AND (k.disability_type, k.disability_severity) IS NOT DISTINCT FROM (d.disability_type, d.disability_severity)
                RETURNING k.id
                """,
                kept,
                merged
            )
        default:
            _ = try await self.count(
                "UPDATE workers k SET \(field) = NULL FROM workers d WHERE k.id = $1 AND d.id = $2 AND k.\(field) IS NOT DISTINCT FROM d.\(field) RETURNING k.id",
                kept,
                merged
            )
        }
    }

    /// Runs constant SQL (table and column names from the lists above, never input) with ids as
    /// `$1`, `$2`...; returns how many rows it returned.
    private func count(_ sql: String, _ ids: Int64...) async throws -> Int {
        try await self.ids(sql, ids).count
    }

    private func ids(_ sql: String, _ ids: Int64...) async throws -> [Int64] {
        try await self.ids(sql, ids)
    }

    private func ids(_ sql: String, _ ids: [Int64]) async throws -> [Int64] {
        var binds = PostgresBindings()
        for id in ids { binds.append(id) }
        return try await self.connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger).collect(Int64.self)
    }

    private static func binds(_ first: Int64, _ ids: [Int64], _ third: Int64) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(first)
        binds.append(ids)
        binds.append(third)
        return binds
    }

    private static func json<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

extension PostgresRowSequence {
    /// Every row's single column decoded as `T`.
    func collect<T: PostgresDecodable>(_ type: T.Type) async throws -> [T] {
        var values: [T] = []
        for try await value in self.decode(T.self) { values.append(value) }
        return values
    }
}
