import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// Progress toward the plan's targets, counted from the placement ledger.
struct ProgressRoutes {
    let client: PostgresClient

    /// One target and how far the centre has come.
    struct TargetProgress: Codable {
        let key: String
        let title: String
        let periodStart: String
        let periodEnd: String
        let target: Int64
        let count: Int64
        let percent: Double
    }

    struct ProgressView: ResponseCodable {
        let asOf: String
        let targets: [TargetProgress]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("progress", use: self.show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ProgressView {
        _ = try context.requireStaff()
        let rows = try await self.client.query(
            """
            SELECT t.key, t.title_vi, t.period_start::text, t.period_end::text, t.value::bigint,
                   (SELECT count(DISTINCT COALESCE(w.merged_into, w.id)) FROM placements p JOIN workers w ON w.id = p.worker_id
                    WHERE p.reverses_id IS NULL
                      AND NOT EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id)
                      AND p.start_date BETWEEN t.period_start AND t.period_end
                      AND (t.indicator = 'jobs' OR p.channel = 'overseas_departure'))
            FROM targets t WHERE t.indicator IN ('jobs', 'abroad')
            ORDER BY t.indicator DESC, t.period_start
            """, logger: context.logger)
        var targets: [TargetProgress] = []
        for try await (key, title, start, end, value, count) in rows.decode((String, String, String, String, Int64, Int64).self) {
            let percent = value > 0 ? (Double(count) * 10000 / Double(value)).rounded() / 100 : 0
            targets.append(TargetProgress(key: key, title: title, periodStart: start, periodEnd: end, target: value, count: count, percent: percent))
        }
        return ProgressView(asOf: ISO8601DateFormatter().string(from: Date()), targets: targets)
    }
}
