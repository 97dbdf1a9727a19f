import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Progress toward the plan's targets, for the JSON routes and the dashboard alike: the progress
/// report as it stood at the end of a day, the targets and an admin's change to one (audited),
/// and what the dashboard adds (district names, vacancies closing soon with no referral, proposals waiting).
struct ProgressService: Sendable {
    let client: PostgresClient

    /// The report at the end of `asOf` (`GET /progress`).
    struct ProgressView: ResponseCodable {
        let asOf: String
        let targets: [ProgressReport.TargetProgress]
        let trainedRate: ProgressReport.TrainedRate
        let households: [ProgressReport.Households]
    }

    /// A target of the plan.
    struct Target: Codable {
        let key: String
        let indicator: String
        let title: String
        let periodStart: String
        let periodEnd: String
        let value: Double
    }

    /// Every target, by indicator then period.
    struct TargetList: ResponseCodable {
        let targets: [Target]
    }

    /// `PUT /targets/{key}` body.
    struct TargetChange: Decodable {
        let value: Double
        let title: String?
    }

    /// What the leaders' dashboard shows beside the report.
    struct Dashboard: Sendable {
        /// A vacancy closing within a week that no one was referred to.
        struct Closing: Sendable {
            let id: Int64
            let title: String
            let employer: String
            let closingDate: String
        }

        let report: ProgressReport
        /// Legacy district names by code.
        let districts: [String: String]
        let closing: [Closing]
        /// Proposals waiting for an officer.
        let waiting: Int64
    }

    /// Progress as it stood at the end of `asOf` (not a day still to come).
    func progress(asOf: LocalDate, logger: Logger) async throws -> ProgressView {
        guard asOf <= LocalDate.today() else { throw AppError.invalid(field: "as_of", "Không thể xem số liệu của một ngày chưa đến.") }
        let report = try await self.client.withConnection { connection in
            try await ProgressReport.make(asOf: asOf, on: connection, logger: logger)
        }
        return ProgressView(asOf: report.asOf.description, targets: report.targets, trainedRate: report.trainedRate, households: report.households)
    }

    /// The plan's targets.
    func targets(logger: Logger) async throws -> TargetList {
        try await self.client.withConnection { try await Self.list(on: $0, logger: logger) }
    }

    /// Changes target `key`'s value (and title), audited; returns every target.
    func changeTarget(_ key: String, _ input: TargetChange, actor: Principal?, logger: Logger) async throws -> TargetList {
        let title = try CleanText.optional(input.title, field: "title", label: "Tên chỉ tiêu", maxLength: 200)
        return try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (indicator, before, beforeTitle) = try await tx.query(
                    "SELECT indicator, value::float8, title_vi FROM targets WHERE key = \(key) FOR UPDATE",
                    logger: logger
                ).decode((String, Double, String).self).first(where: { _ in true })
            else { throw AppError.notFound("chỉ tiêu \(key)") }
            let valid =
                indicator == "trained_rate"
                ? (input.value > 0 && input.value <= 100) : (input.value >= 1 && input.value <= 10_000_000 && input.value.rounded() == input.value)
            guard valid else {
                throw AppError.invalid(
                    field: "value",
                    indicator == "trained_rate"
                        ? "Tỷ lệ phải lớn hơn 0 và không quá 100 (%)." : "Chỉ tiêu phải là số người, từ 1 đến 10.000.000."
                )
            }
            try await tx.query(
                "UPDATE targets SET value = \(input.value), title_vi = COALESCE(\(title), title_vi), updated_at = now() WHERE key = \(key)",
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "update",
                entity: "target",
                entityID: nil,
                before: ["key": key, "value": "\(before)", "title": beforeTitle],
                after: ["key": key, "value": "\(input.value)", "title": title ?? beforeTitle],
                logger: logger
            )
            return try await Self.list(on: tx, logger: logger)
        }
    }

    /// Today's report with what the dashboard adds, on one connection.
    func dashboard(today: LocalDate, logger: Logger) async throws -> Dashboard {
        try await self.client.withConnection { connection in
            let report = try await ProgressReport.make(asOf: today, on: connection, logger: logger)
            let districts = Dictionary(
                uniqueKeysWithValues: try await connection.query(
                    "SELECT district_code, district_name FROM legacy_districts",
                    logger: logger
                ).decode((String, String).self).collect()
            )
            let closing = try await connection.query(
                """
                SELECT v.id, v.title, e.name, v.closing_date::text FROM vacancies v JOIN employers e ON e.id = v.employer_id
                WHERE v.status = 'open' AND v.closing_date BETWEEN \(today.description)::date AND \(today.description)::date + 7
                  AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.vacancy_id = v.id)
                ORDER BY v.closing_date, v.id LIMIT 10
                """,
                logger: logger
            ).decode((Int64, String, String, String).self).collect()
            let waiting =
                try await connection.query("SELECT count(*) FROM referrals WHERE status = 'proposed'", logger: logger)
                .decode(Int64.self).collect().first ?? 0
            return Dashboard(
                report: report,
                districts: districts,
                closing: closing.map { Dashboard.Closing(id: $0.0, title: $0.1, employer: $0.2, closingDate: $0.3) },
                waiting: waiting
            )
        }
    }

    /// Every target, by indicator then period.
    static func list(on connection: PostgresConnection, logger: Logger) async throws -> TargetList {
        let rows = try await connection.query(
            "SELECT key, indicator, title_vi, period_start::text, period_end::text, value::float8 FROM targets ORDER BY indicator, period_start",
            logger: logger
        )
        var targets: [Target] = []
        for try await (key, indicator, title, start, end, value) in rows.decode((String, String, String, String, String, Double).self) {
            targets.append(Target(key: key, indicator: indicator, title: title, periodStart: start, periodEnd: end, value: value))
        }
        return TargetList(targets: targets)
    }
}
