import Logging
import PostgresNIO

extension DuplicateService {
    /// The records of `ids`, by id, as the duplicates page compares them.
    func records(_ ids: [Int64], logger: Logger) async throws -> [Int64: DuplicatePairs.Record] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await self.client.withConnection { connection in
            try await connection.query(
                """
                SELECT w.id, w.full_name, w.search_name, w.birth_date::text, w.sex, w.cccd, w.cmnd, w.phone, wd.ward_name, w.household_id,
                       to_char(w.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
                FROM workers w JOIN wards_2025 wd ON wd.ward_code = w.ward_code WHERE w.id = ANY(\(ids))
                """,
                logger: logger
            )
            .decode((Int64, String, String, String, String, String?, String?, String?, String, Int64?, String).self).collect()
        }
        var records: [Int64: DuplicatePairs.Record] = [:]
        for row in rows {
            records[row.0] = DuplicatePairs.Record(
                id: row.0,
                name: row.1,
                searchName: row.2,
                birth: row.3,
                sex: row.4,
                cccd: row.5,
                cmnd: row.6,
                phone: row.7,
                ward: row.8,
                household: row.9,
                registered: row.10
            )
        }
        return records
    }

    /// The last 20 merges not undone, newest first.
    func recentMerges(logger: Logger) async throws -> [RecentMerge] {
        try await self.client.withConnection { connection in
            try await connection.query(
                """
                SELECT m.id, m.kept_id, k.full_name, m.merged_id, d.full_name,
                       to_char(m.merged_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI'), coalesce(nullif(s.display_name, ''), s.username, '')
                FROM worker_merges m JOIN workers k ON k.id = m.kept_id JOIN workers d ON d.id = m.merged_id
                LEFT JOIN staff_users s ON s.id = m.merged_by
                WHERE m.undone_at IS NULL ORDER BY m.id DESC LIMIT 20
                """,
                logger: logger
            ).decode((Int64, Int64, String, Int64, String, String, String).self).collect()
                .map { RecentMerge(mergeID: $0.0, keptID: $0.1, keptName: $0.2, mergedID: $0.3, mergedName: $0.4, mergedAt: $0.5, mergedBy: $0.6) }
        }
    }
}
