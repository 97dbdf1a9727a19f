import JobMatchCore
import Logging
import PostgresNIO

/// Registered workers counted by 2025 ward or by legacy district (before the July 2025 merger),
/// with their households' status as of a date and how many are seeking work. Merged and
/// anonymised records are not counted.
struct RegistrySummaryService: Sendable {
    let client: PostgresClient

    /// The summary grouped `grouping`, as known at the end of `asOf`.
    func summary(by grouping: RegistrySummary.Grouping, asOf: LocalDate, logger: Logger) async throws -> RegistrySummary {
        let statuses = HouseholdStatus.allCases.map(\.rawValue)
        let rows = try await self.client.query(
            """
            WITH w AS (
                SELECT w.ward_code, w.legacy_ward_code, w.job_seeking_status,
                       household_status_on(w.household_id, \(asOf.description)::date) AS status
                FROM workers w
                WHERE w.merged_into IS NULL AND w.anonymised_at IS NULL
                  AND w.created_at < (\(asOf.description)::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
            ), places AS (
                SELECT DISTINCT ward_code, legacy_ward_code, legacy_district_of(legacy_ward_code, ward_code) AS district FROM w
            ), g AS (
                SELECT CASE WHEN \(grouping.rawValue) = 'ward' THEN w.ward_code ELSE p.district END AS code, w.status, w.job_seeking_status
                FROM w JOIN places p ON p.ward_code = w.ward_code AND p.legacy_ward_code IS NOT DISTINCT FROM w.legacy_ward_code
            )
            SELECT g.code, COALESCE(wd.ward_name, ld.district_name, 'Chưa xác định huyện cũ'), g.status, count(*)::int,
                   count(*) FILTER (WHERE g.job_seeking_status = 'seeking')::int
            FROM g
            LEFT JOIN wards_2025 wd ON \(grouping.rawValue) = 'ward' AND wd.ward_code = g.code
            LEFT JOIN legacy_districts ld ON \(grouping.rawValue) = 'legacy_district' AND ld.district_code = g.code
            GROUP BY g.code, wd.ward_name, ld.district_name, g.status
            ORDER BY g.code NULLS LAST
            """,
            logger: logger
        )
        var groups: [RegistrySummary.Group] = []
        for try await (code, name, status, workers, seeking) in rows.decode((String?, String, String, Int, Int).self) {
            if let last = groups.last, last.code == code, !groups.isEmpty {
                var counts = last.byHouseholdStatus
                counts[status, default: 0] += workers
                groups[groups.count - 1] = RegistrySummary.Group(
                    code: code,
                    name: name,
                    workers: last.workers + workers,
                    seeking: last.seeking + seeking,
                    byHouseholdStatus: counts
                )
            } else {
                var counts = Dictionary(uniqueKeysWithValues: statuses.map { ($0, 0) })
                counts[status, default: 0] += workers
                groups.append(RegistrySummary.Group(code: code, name: name, workers: workers, seeking: seeking, byHouseholdStatus: counts))
            }
        }
        return RegistrySummary(by: grouping.rawValue, asOf: asOf.description, total: groups.reduce(0) { $0 + $1.workers }, groups: groups)
    }
}
