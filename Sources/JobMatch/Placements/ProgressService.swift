import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Progress toward the plan's targets, for the JSON routes and the dashboard alike: the progress
/// report as it stood at the end of a day, the targets (`ProgressService+Targets`: listed, added and
/// changed by an admin, audited), and what the dashboard adds (district names, vacancies closing soon with no referral, proposals waiting).
struct ProgressService: Sendable {
    /// The primary: the targets are changed here.
    let client: PostgresClient
    /// Where the report and the dashboard's counts are read (the replica while caught up).
    let reads: ReadRouter

    /// `reads` nil: everything on `client`.
    init(client: PostgresClient, reads: ReadRouter? = nil) {
        self.client = client
        self.reads = reads ?? .primaryOnly(client)
    }

    /// The report at the end of `asOf` (`GET /progress`).
    struct ProgressView: ResponseCodable {
        let asOf: String
        let targets: [ProgressReport.TargetProgress]
        let trainedRate: ProgressReport.TrainedRate
        let households: [ProgressReport.Households]
        /// Employers' hires not yet confirmed by staff, so not counted (docs/counting.md, rule 9).
        let awaitingConfirmation: Int64
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
        let report = try await self.reads.client.withConnection { connection in
            try await ProgressReport.make(asOf: asOf, on: connection, logger: logger)
        }
        return ProgressView(
            asOf: report.asOf.description,
            targets: report.targets,
            trainedRate: report.trainedRate,
            households: report.households,
            awaitingConfirmation: report.awaitingConfirmation
        )
    }

    /// Today's report with what the dashboard adds, on one connection.
    func dashboard(today: LocalDate, logger: Logger) async throws -> Dashboard {
        try await self.reads.client.withConnection { connection in
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
}
