import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// `POST /matching/batches` runs a batch assignment over all open vacancies (officers and
/// admins); `GET /matching/batches/{id}` shows a batch and its proposals as they stand now, for
/// staff to accept or drop (`POST /referrals/{id}/accept|withdraw`).
struct MatchBatchRoutes {
    let client: PostgresClient
    let logger: Logger

    /// `POST /matching/batches` body (optional).
    struct Options: Decodable {
        let candidatesPerVacancy: Int?
    }

    struct ProposalView: Codable {
        let referralId: Int64
        let vacancyId: Int64
        let workerId: Int64
        let status: String
        let score: Int
        let scoreParts: [ScorePart]
    }

    struct BatchView: ResponseCodable {
        let id: Int64
        let asOf: String
        let vacancies: Int
        let proposals: Int
        let priorityProposals: Int
        let totalScore: Int64
        let greedyProposals: Int
        let greedyPriority: Int
        let greedyTotalScore: Int64
        /// Open slots, the most the hard filters allow to fill (counted on its own), and the proof's result.
        let openSlots: Int?
        let mostFillable: Int?
        let certificateViolations: Int?
        let pairsChecked: Int64?
        let durationMs: Int
        let items: [ProposalView]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("matching/batches", use: self.run)
        group.get("matching/batches/:id", use: self.show)
    }

    @Sendable func run(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<BatchView> {
        _ = try context.requireStaff()
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let options = body.readableBytes == 0 ? Options(candidatesPerVacancy: nil) : try await request.decodeJSON(Options.self, context: context)
        let perVacancy = options.candidatesPerVacancy ?? 20
        guard (1...200).contains(perVacancy) else {
            throw AppError.invalid(field: "candidates_per_vacancy", "Số ứng viên xét cho mỗi vị trí phải từ 1 đến 200.")
        }
        let summary = try await BatchMatcher(client: self.client, logger: context.logger).run(actor: context.principal, candidatesPerVacancy: perVacancy)
        return EditedResponse(status: .created, response: try await self.view(summary.batchId, logger: context.logger)!)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> BatchView {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        guard let view = try await self.view(id, logger: context.logger) else { throw AppError.notFound("lượt ghép \(id)") }
        return view
    }

    /// The batch with its proposals' current status, or nil.
    func view(_ id: Int64, logger: Logger) async throws -> BatchView? {
        try await self.client.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT as_of::text, vacancies, proposals, priority_proposals, total_score, greedy_proposals, greedy_priority, greedy_total_score, duration_ms,
                       open_slots, most_fillable, certificate_violations, pairs_checked
                FROM match_batches WHERE id = \(id)
                """, logger: logger)
            guard let (asOf, vacancies, proposals, priority, total, greedy, greedyPriority, greedyTotal, duration, open, most, violations, checked) =
                try await rows.decode((String, Int, Int, Int, Int64, Int, Int, Int64, Int, Int?, Int?, Int?, Int64?).self).first(where: { _ in true })
            else { return nil }
            var items: [ProposalView] = []
            let proposalRows = try await connection.query(
                "SELECT id, vacancy_id, worker_id, status, score, score_parts::text FROM referrals WHERE batch_id = \(id) ORDER BY vacancy_id, id",
                logger: logger)
            for try await (referral, vacancy, worker, status, score, parts) in proposalRows.decode((Int64, Int64, Int64, String, Int, String).self) {
                items.append(ProposalView(referralId: referral, vacancyId: vacancy, workerId: worker, status: status, score: score,
                                          scoreParts: try JSONDecoder().decode([ScorePart].self, from: Data(parts.utf8))))
            }
            return BatchView(id: id, asOf: asOf, vacancies: vacancies, proposals: proposals, priorityProposals: priority, totalScore: total,
                             greedyProposals: greedy, greedyPriority: greedyPriority, greedyTotalScore: greedyTotal, openSlots: open, mostFillable: most,
                             certificateViolations: violations, pairsChecked: checked, durationMs: duration, items: items)
        }
    }
}
