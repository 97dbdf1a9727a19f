import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Proposes referrals for all open vacancies at once: each vacancy's best candidates (the same
/// filters and score as one vacancy's list), then the optimal assignment over those lists
/// (`BatchAssignment`: each worker to at most one vacancy, each vacancy up to its open slots,
/// workers of poor and near-poor households served first, then the highest total score). The
/// proposals are referrals in status `proposed`: nothing reaches an employer until staff accept
/// them. One batch runs at a time; the batch and a greedy baseline's figures are recorded.
public struct BatchMatcher: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public struct Proposal: Codable, Sendable {
        public let referralId: Int64
        public let vacancyId: Int64
        public let workerId: Int64
        public let score: Int
        public let priorityGroup: Bool
        public let scoreParts: [ScorePart]
    }

    public struct Summary: Codable, Sendable {
        public let batchId: Int64
        public let asOf: String
        public let vacancies: Int
        public let candidatesPerVacancy: Int
        public let proposals: Int
        public let priorityProposals: Int
        public let totalScore: Int64
        public let greedyProposals: Int
        public let greedyPriority: Int
        public let greedyTotalScore: Int64
        public let durationMs: Int
        public let items: [Proposal]
    }

    /// Open slots: slots not filled and not already held by a pending proposal.
    struct OpenVacancy {
        let id: Int64
        let openSlots: Int
    }

    /// Runs a batch; no `actor` means the command line (the system). Throws 409 while another batch runs.
    public func run(actor: Principal?, candidatesPerVacancy: Int = 20, today: LocalDate = .today()) async throws -> Summary {
        let staffID = actor?.staffID
        let started = ContinuousClock.now
        let logger = self.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            guard try await tx.query("SELECT pg_try_advisory_xact_lock(hashtextextended('jobmatch-match-batch', 0))", logger: logger).first(Bool.self) == true
            else { throw AppError.conflict("Một lượt ghép tự động khác đang chạy; hãy thử lại sau.") }
            let weights = try await MatchWeightsRoutes.load(on: tx, logger: logger)
            let vacancies = try await Self.openVacancies(today: today, on: tx, logger: logger)
            let finder = CandidateFinder(connection: tx, logger: logger)
            let pending = Set(try await tx.query("SELECT DISTINCT worker_id FROM referrals WHERE status = 'proposed'", logger: logger)
                .decode(Int64.self).collect())

            var workerIndex: [Int64: Int] = [:]
            var workerIDs: [Int64] = []
            var pairs: [BatchAssignment.Pair] = []
            var explained: [Int64: [Int64: CandidateFinder.Candidate]] = [:]
            for (v, vacancy) in vacancies.enumerated() {
                for candidate in try await finder.candidates(vacancyID: vacancy.id, limit: candidatesPerVacancy, today: today, weights: weights)
                where !pending.contains(candidate.workerID) {
                    let w = workerIndex[candidate.workerID] ?? {
                        workerIDs.append(candidate.workerID)
                        workerIndex[candidate.workerID] = workerIDs.count - 1
                        return workerIDs.count - 1
                    }()
                    explained[vacancy.id, default: [:]][candidate.workerID] = candidate
                    pairs.append(BatchAssignment.Pair(vacancy: v, worker: w, weight: Int64(candidate.score.total)))
                }
            }
            // Priority groups first: their bonus exceeds any total of scores the others could reach.
            // (A pair scoring 0 is never proposed: it would add nothing.)
            let bonus = ((pairs.map(\.weight).max() ?? 0) + 1) * Int64(min(workerIDs.count, vacancies.map(\.openSlots).reduce(0, +)) + 1)
            /// The candidate behind a pair (every pair was made from one).
            func candidate(_ pair: BatchAssignment.Pair) -> CandidateFinder.Candidate {
                explained[vacancies[pair.vacancy].id]![workerIDs[pair.worker]]!
            }
            func isPriority(_ pair: BatchAssignment.Pair) -> Bool { [.poor, .nearPoor].contains(candidate(pair).householdStatus) }
            let weighted = pairs.map { BatchAssignment.Pair(vacancy: $0.vacancy, worker: $0.worker, weight: $0.weight + (isPriority($0) ? bonus : 0)) }
            let capacities = vacancies.map(\.openSlots)
            let chosen = BatchAssignment.optimal(capacities: capacities, workerCount: workerIDs.count, pairs: weighted)
            let greedy = BatchAssignment.greedy(capacities: capacities, workerCount: workerIDs.count, pairs: pairs)
            func score(_ pair: BatchAssignment.Pair) -> Int64 { Int64(candidate(pair).score.total) }

            let duration = Int((ContinuousClock.now - started) / .milliseconds(1))
            let batchID = try await tx.query(
                """
                INSERT INTO match_batches (as_of, vacancies, candidates_per_vacancy, proposals, priority_proposals, total_score, greedy_proposals,
                                           greedy_priority, greedy_total_score, duration_ms, created_by)
                VALUES (\(today.description)::date, \(vacancies.count), \(candidatesPerVacancy), \(chosen.count), \(chosen.filter(isPriority).count),
                        \(chosen.map(score).reduce(0, +)), \(greedy.count), \(greedy.filter(isPriority).count), \(greedy.map(score).reduce(0, +)),
                        \(duration), \(staffID))
                RETURNING id
                """, logger: logger).first(Int64.self)!
            var items: [Proposal] = []
            for pair in chosen {
                let vacancyID = vacancies[pair.vacancy].id
                let proposed = candidate(pair)
                let id = try await ReferralRoutes.insert(
                    vacancyID: vacancyID, workerID: proposed.workerID, status: "proposed", score: proposed.score, staffID: staffID, batchID: batchID,
                    note: "Lượt ghép tự động #\(batchID): phương án tối ưu cho tất cả vị trí đang tuyển", on: tx, logger: logger)
                items.append(Proposal(referralId: id, vacancyId: vacancyID, workerId: proposed.workerID, score: proposed.score.total,
                                      priorityGroup: isPriority(pair), scoreParts: proposed.score.parts))
            }
            try await AuditLog.record(on: tx, actor: actor, action: "match_batch",
                                      entity: "match_batch", entityID: batchID, after: ["proposals": "\(items.count)"], logger: logger)
            return Summary(batchId: batchID, asOf: today.description, vacancies: vacancies.count, candidatesPerVacancy: candidatesPerVacancy,
                           proposals: items.count, priorityProposals: chosen.filter(isPriority).count, totalScore: chosen.map(score).reduce(0, +),
                           greedyProposals: greedy.count, greedyPriority: greedy.filter(isPriority).count,
                           greedyTotalScore: greedy.map(score).reduce(0, +), durationMs: duration, items: items)
        }
    }

    /// Open vacancies (status open, closing date not passed) with at least one open slot, by id.
    static func openVacancies(today: LocalDate, on tx: PostgresConnection, logger: Logger) async throws -> [OpenVacancy] {
        let rows = try await tx.query(
            """
            SELECT v.id, v.slots - v.slots_filled - (SELECT count(*) FROM referrals r WHERE r.vacancy_id = v.id AND r.status = 'proposed')::int
            FROM vacancies v WHERE v.status = 'open' AND v.closing_date >= \(today.description)::date
            ORDER BY v.id
            """, logger: logger)
        return try await rows.decode((Int64, Int).self).collect().filter { $0.1 > 0 }.map { OpenVacancy(id: $0.0, openSlots: $0.1) }
    }
}
