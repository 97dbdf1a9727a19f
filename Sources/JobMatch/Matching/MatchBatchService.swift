import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Batch matching for the JSON routes and the matching page alike: runs `BatchMatcher` over all
/// open vacancies, reads a batch with its proposals as they stand now, and lists the recent runs
/// and the proposals waiting for an officer.
struct MatchBatchService: Sendable {
    let client: PostgresClient
    /// Where a batch reads every worker's facts (the replica while it is in use).
    var reads: ReadRouter? = nil

    /// One proposal of a batch, with its current status; its score's parts as stored (JSON), so a
    /// batch of 100,000 proposals is answered without decoding and encoding each again.
    struct ProposalView: Decodable, Sendable {
        let referralId: Int64
        let vacancyId: Int64
        let workerId: Int64
        let status: String
        let score: Int
        /// `[ScorePart]` as a JSON array, written into responses as it is.
        let scorePartsJSON: String

        /// The parts, decoded (for a reader of one proposal; responses write `scorePartsJSON`).
        var scoreParts: [ScorePart] {
            get throws { try JSONDecoder().decode([ScorePart].self, from: Data(self.scorePartsJSON.utf8)) }
        }
    }

    /// A batch: its figures, the greedy baseline, the proof, and its proposals (its JSON is written
    /// by hand, `BatchView+JSON.swift`, in the shape `JSONEncoder` would give).
    struct BatchView: Decodable, Sendable {
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

    /// A recent run, as the matching page lists it.
    struct RecentBatch: Sendable {
        let id: Int64
        /// dd/mm/yyyy hh:mm, Vietnam time.
        let at: String
        let vacancies: Int
        let proposals: Int
        let priorityProposals: Int
        let durationMs: Int
        let openSlots: Int?
        let mostFillable: Int?
        let certificateViolations: Int?
    }

    /// A proposal waiting for an officer, with its vacancy and worker.
    struct WaitingProposal: Sendable {
        let referralID: Int64
        let vacancyID: Int64
        let title: String
        let employer: String
        let closingDate: String
        let workerID: Int64
        let workerName: String
        let householdStatus: String
        let score: Int
    }

    /// Runs a batch now, as `actor`, considering `candidatesPerVacancy` (1 to 200, default 20) per vacancy.
    func run(candidatesPerVacancy: Int?, actor: Principal?, logger: Logger) async throws -> BatchView {
        let perVacancy = candidatesPerVacancy ?? 20
        guard (1...200).contains(perVacancy) else {
            throw AppError.invalid(field: "candidates_per_vacancy", "Số ứng viên xét cho mỗi vị trí phải từ 1 đến 200.")
        }
        let summary = try await BatchMatcher(client: self.client, reads: self.reads ?? .primaryOnly(self.client), logger: logger).run(
            actor: actor,
            candidatesPerVacancy: perVacancy
        )
        return try await self.view(summary.batchId, logger: logger)!
    }

    /// The batch with its proposals' current status, or nil.
    func view(_ id: Int64, logger: Logger) async throws -> BatchView? {
        try await self.client.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT as_of::text, vacancies, proposals, priority_proposals, total_score, greedy_proposals, greedy_priority, greedy_total_score, duration_ms,
                       open_slots, most_fillable, certificate_violations, pairs_checked
                FROM match_batches WHERE id = \(id)
                """,
                logger: logger
            )
            guard
                let (asOf, vacancies, proposals, priority, total, greedy, greedyPriority, greedyTotal, duration, open, most, violations, checked) =
                    try await rows.decode((String, Int, Int, Int, Int64, Int, Int, Int64, Int, Int?, Int?, Int?, Int64?).self).first(where: { _ in
                        true
                    })
            else { return nil }
            var items: [ProposalView] = []
            let proposalRows = try await connection.query(
                "SELECT id, vacancy_id, worker_id, status, score, score_parts::text FROM referrals WHERE batch_id = \(id) ORDER BY vacancy_id, id",
                logger: logger
            )
            for try await (referral, vacancy, worker, status, score, parts) in proposalRows.decode((Int64, Int64, Int64, String, Int, String).self) {
                items.append(
                    ProposalView(
                        referralId: referral,
                        vacancyId: vacancy,
                        workerId: worker,
                        status: status,
                        score: score,
                        scorePartsJSON: parts
                    )
                )
            }
            return BatchView(
                id: id,
                asOf: asOf,
                vacancies: vacancies,
                proposals: proposals,
                priorityProposals: priority,
                totalScore: total,
                greedyProposals: greedy,
                greedyPriority: greedyPriority,
                greedyTotalScore: greedyTotal,
                openSlots: open,
                mostFillable: most,
                certificateViolations: violations,
                pairsChecked: checked,
                durationMs: duration,
                items: items
            )
        }
    }

    /// The last five runs, newest first.
    func recent(logger: Logger) async throws -> [RecentBatch] {
        let rows = try await self.client.query(
            """
            SELECT id, to_char(created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI'), vacancies, proposals, priority_proposals, duration_ms,
                   open_slots, most_fillable, certificate_violations
            FROM match_batches ORDER BY id DESC LIMIT 5
            """,
            logger: logger
        )
        var batches: [RecentBatch] = []
        for try await (id, at, vacancies, proposals, priority, duration, open, most, violations)
            in rows.decode((Int64, String, Int, Int, Int, Int, Int?, Int?, Int?).self)
        {
            batches.append(
                RecentBatch(
                    id: id,
                    at: at,
                    vacancies: vacancies,
                    proposals: proposals,
                    priorityProposals: priority,
                    durationMs: duration,
                    openSlots: open,
                    mostFillable: most,
                    certificateViolations: violations
                )
            )
        }
        return batches
    }

    /// The proposals waiting for an officer (at most 300), by vacancy closing soonest, then score.
    func waitingProposals(logger: Logger) async throws -> [WaitingProposal] {
        let rows = try await self.client.query(
            """
            SELECT r.id, v.id, v.title, e.name, v.closing_date::text, w.id, w.full_name, household_status_on(w.household_id, current_date), r.score
            FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id JOIN employers e ON e.id = v.employer_id JOIN workers w ON w.id = r.worker_id
            WHERE r.status = 'proposed'
            ORDER BY v.closing_date, v.id, r.score DESC, r.id LIMIT 300
            """,
            logger: logger
        )
        var proposals: [WaitingProposal] = []
        for try await (referral, vacancy, title, employer, closing, worker, name, status, score)
            in rows.decode((Int64, Int64, String, String, String, Int64, String, String, Int).self)
        {
            proposals.append(
                WaitingProposal(
                    referralID: referral,
                    vacancyID: vacancy,
                    title: title,
                    employer: employer,
                    closingDate: closing,
                    workerID: worker,
                    workerName: name,
                    householdStatus: status,
                    score: score
                )
            )
        }
        return proposals
    }
}
