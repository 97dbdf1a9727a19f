import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Retention after placement: of the follow-ups recorded at 3, 6 and 12 months (reversed jobs left
/// out), the share of people reached who were in work (the job found, or another), overall and by
/// channel, employer, household status at the start of the job, and training.
extension FollowUpService {
    /// One milestone's figures: follow-ups recorded, people reached (not "unreachable"), in work.
    struct Rate: ResponseCodable {
        let months: Int
        let followedUp: Int64
        let reached: Int64
        let inWork: Int64
        /// In work among those reached, in percent (two decimals); nil when no one was reached.
        let percent: Double?
    }

    /// A group of a breakdown with its three milestones.
    struct RetentionGroup: ResponseCodable {
        let dimension: String
        let key: String
        let label: String
        let rates: [Rate]
    }

    struct Retention: ResponseCodable {
        /// What `percent` measures, for whoever reads the figures.
        var measures = "Tỷ lệ còn việc làm (công việc được giới thiệu hoặc việc khác) trong số người liên lạc được tại mốc theo dõi"
        let overall: [Rate]
        let groups: [RetentionGroup]
    }

    /// The breakdowns, in the order shown.
    static let dimensions = ["channel", "employer", "status", "training"]

    func retention(logger: Logger) async throws -> Retention {
        let rows = try await self.client.query(
            """
            WITH f AS (
                SELECT f.months, f.outcome, p.channel, coalesce(e.name, '') AS employer, coalesce(hs.status, 'none') AS status,
                       CASE WHEN w.qualification IS NOT NULL AND w.qualification <> 'none'
                                 OR EXISTS (SELECT 1 FROM enrolments en WHERE en.worker_id = w.id AND en.status = 'completed')
                            THEN 'trained' ELSE 'untrained' END AS training
                FROM placement_follow_ups f
                JOIN placements p ON p.id = f.placement_id
                JOIN workers w ON w.id = p.worker_id
                LEFT JOIN employers e ON e.id = p.employer_id
                LEFT JOIN household_statuses hs ON hs.household_id = w.household_id AND hs.valid_from <= p.start_date
                                               AND (hs.valid_to IS NULL OR hs.valid_to >= p.start_date)
                WHERE NOT EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id)
            ), g AS (
                SELECT 'all' AS dimension, '' AS key, months, outcome FROM f
                UNION ALL SELECT 'channel', channel, months, outcome FROM f
                UNION ALL SELECT 'employer', employer, months, outcome FROM f WHERE employer <> ''
                UNION ALL SELECT 'status', status, months, outcome FROM f
                UNION ALL SELECT 'training', training, months, outcome FROM f
            )
            SELECT dimension, key, months::int, count(*), count(*) FILTER (WHERE outcome <> 'unreachable'),
                   count(*) FILTER (WHERE outcome IN ('still_working', 'changed_job'))
            FROM g GROUP BY dimension, key, months ORDER BY dimension, key, months
            """,
            logger: logger
        )
        var overall: [Rate] = []
        var groups: [String: [Rate]] = [:]
        for try await (dimension, key, months, followed, reached, inWork) in rows.decode((String, String, Int, Int64, Int64, Int64).self) {
            let percent = reached > 0 ? (Double(inWork) * 10000 / Double(reached)).rounded() / 100 : nil
            let rate = Rate(months: months, followedUp: followed, reached: reached, inWork: inWork, percent: percent)
            if dimension == "all" { overall.append(rate) } else { groups["\(dimension)\u{0}\(key)", default: []].append(rate) }
        }
        let listed = groups.map { entry -> RetentionGroup in
            let parts = entry.key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            return RetentionGroup(dimension: parts[0], key: parts[1], label: Self.label(parts[0], parts[1]), rates: Self.milestones(entry.value))
        }
        .sorted { (Self.dimensions.firstIndex(of: $0.dimension) ?? 9, $0.label) < (Self.dimensions.firstIndex(of: $1.dimension) ?? 9, $1.label) }
        return Retention(overall: Self.milestones(overall), groups: listed)
    }

    /// The three milestones, each present (zero when nothing was recorded at it).
    static func milestones(_ rates: [Rate]) -> [Rate] {
        ValidFollowUp.milestones.map { months in
            rates.first { $0.months == months } ?? Rate(months: months, followedUp: 0, reached: 0, inWork: 0, percent: nil)
        }
    }

    /// A group's Vietnamese name.
    static func label(_ dimension: String, _ key: String) -> String {
        switch dimension {
        case "channel": PlacementLedger.Channel(rawValue: key)?.vietnamese ?? key
        case "status": (HouseholdStatus(rawValue: key) ?? .none).vietnamese
        case "training": key == "trained" ? "Đã qua đào tạo" : "Chưa qua đào tạo"
        default: key
        }
    }
}
