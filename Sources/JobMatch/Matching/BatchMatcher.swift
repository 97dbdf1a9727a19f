import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Proposes referrals for all open vacancies at once: each vacancy's best candidates among the
/// workers not already proposed (the same filters, score and order as one vacancy's list, ranked
/// in memory from one read of every worker: `MatchingSnapshot`), then the optimal assignment over those lists
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

    /// An open vacancy and its open slots: slots not filled and not already held by a pending proposal.
    struct OpenVacancy {
        let facts: MatchingSnapshot.Vacancy
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
            try await tx.allowLongWork(.job, logger: logger)
            let weights = try await MatchWeightsRoutes.load(on: tx, logger: logger)
            let vacancies = try await Self.openVacancies(today: today, on: tx, logger: logger)
            let snapshot = try await MatchingSnapshot.load(today: today, weights: weights, vacancies: vacancies.map(\.facts.id), on: tx, logger: logger)
            let pending = Set(try await tx.query("SELECT DISTINCT worker_id FROM referrals WHERE status = 'proposed'", logger: logger)
                .decode(Int64.self).collect())

            // Each vacancy's best candidates among the workers not already proposed somewhere.
            var workerIndex: [Int: Int] = [:]
            var workerSnapshots: [Int] = []
            var pairs: [BatchAssignment.Pair] = []
            var ranked: [Int: [Int: MatchingSnapshot.Candidate]] = [:]
            for (v, vacancy) in vacancies.enumerated() {
                for candidate in snapshot.candidates(for: vacancy.facts, limit: candidatesPerVacancy, excluding: pending) {
                    let w = workerIndex[candidate.worker] ?? {
                        workerSnapshots.append(candidate.worker)
                        workerIndex[candidate.worker] = workerSnapshots.count - 1
                        return workerSnapshots.count - 1
                    }()
                    ranked[v, default: [:]][w] = candidate
                    pairs.append(BatchAssignment.Pair(vacancy: v, worker: w, weight: Int64(candidate.points)))
                }
            }
            // Priority groups first: their bonus exceeds any total of scores the others could reach.
            // (A pair scoring 0 is never proposed: it would add nothing.)
            let bonus = ((pairs.map(\.weight).max() ?? 0) + 1) * Int64(min(workerSnapshots.count, vacancies.map(\.openSlots).reduce(0, +)) + 1)
            func worker(_ pair: BatchAssignment.Pair) -> MatchingSnapshot.Worker { snapshot.workers[workerSnapshots[pair.worker]] }
            func isPriority(_ pair: BatchAssignment.Pair) -> Bool { [.poor, .nearPoor].contains(worker(pair).status) }
            let weighted = pairs.map { BatchAssignment.Pair(vacancy: $0.vacancy, worker: $0.worker, weight: $0.weight + (isPriority($0) ? bonus : 0)) }
            let capacities = vacancies.map(\.openSlots)
            let chosen = BatchAssignment.optimal(capacities: capacities, workerCount: workerSnapshots.count, pairs: weighted)
            let greedy = BatchAssignment.greedy(capacities: capacities, workerCount: workerSnapshots.count, pairs: pairs)
            func score(_ pair: BatchAssignment.Pair) -> Int64 { Int64(ranked[pair.vacancy]![pair.worker]!.points) }
            /// A chosen pair's score with its explained parts (the same total as its ranking points).
            func explained(_ pair: BatchAssignment.Pair) -> CandidateScore {
                let (who, vacancy) = (worker(pair), vacancies[pair.vacancy].facts)
                let facts = CandidateFacts(
                    householdStatus: who.status, workerOccupations: who.occupations, vacancyOccupation: vacancy.occupation,
                    completedTrainingOccupations: who.trainedOccupations, distanceKm: ranked[pair.vacancy]![pair.worker]!.distanceKm,
                    maxCommuteKm: who.maxCommuteKm, registeredOn: who.registeredOn, today: today, sex: who.sex, ethnicity: who.ethnicity,
                    hasDisability: who.disabled)
                return CandidateScorer.score(facts, weights: weights)
            }

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
            // Every proposal and its first step in two statements, however many there are.
            let scores = chosen.map(explained)
            let vacancyIDs = chosen.map { vacancies[$0.vacancy].facts.id }
            let workerIDs = chosen.map { worker($0).id }
            let inserted = try await tx.query(
                """
                WITH input AS (
                    SELECT * FROM unnest(\(vacancyIDs)::bigint[], \(workerIDs)::bigint[], \(scores.map { Int64($0.total) })::bigint[],
                                         \(try scores.map(ReferralRoutes.partsJSON))::text[]) AS t(vacancy_id, worker_id, score, parts)
                ), inserted AS (
                    INSERT INTO referrals (vacancy_id, worker_id, status, score, score_parts, created_by, batch_id)
                    SELECT vacancy_id, worker_id, 'proposed', score, parts::jsonb, \(staffID), \(batchID) FROM input
                    RETURNING id, vacancy_id, worker_id
                ), events AS (
                    INSERT INTO referral_events (referral_id, from_status, to_status, actor_kind, actor_id, note)
                    SELECT id, NULL, 'proposed', \(staffID == nil ? "system" : "staff"), \(staffID),
                           \("Lượt ghép tự động #\(batchID): phương án tối ưu cho tất cả vị trí đang tuyển")
                    FROM inserted
                )
                SELECT id, vacancy_id, worker_id FROM inserted
                """, logger: logger).decode((Int64, Int64, Int64).self).collect()
            var referralIDs: [MatchingSnapshot.Pair: Int64] = [:]
            for (id, vacancy, worker) in inserted { referralIDs[MatchingSnapshot.Pair(vacancy: vacancy, worker: worker)] = id }
            var items: [Proposal] = []
            for (index, pair) in chosen.enumerated() {
                let (vacancyID, workerID, proposed) = (vacancyIDs[index], workerIDs[index], scores[index])
                items.append(Proposal(referralId: referralIDs[MatchingSnapshot.Pair(vacancy: vacancyID, worker: workerID)]!, vacancyId: vacancyID,
                                      workerId: workerID, score: proposed.total, priorityGroup: isPriority(pair), scoreParts: proposed.parts))
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
            SELECT v.id, v.occupation_code, wd.lat, wd.lon, v.min_age, v.max_age, v.open_to_abroad_bound,
                   v.slots - v.slots_filled - (SELECT count(*) FROM referrals r WHERE r.vacancy_id = v.id AND r.status = 'proposed')::int
            FROM vacancies v LEFT JOIN wards_2025 wd ON wd.ward_code = v.ward_code
            WHERE v.status = 'open' AND v.closing_date >= \(today.description)::date
            ORDER BY v.id
            """, logger: logger)
        var result: [OpenVacancy] = []
        for try await (id, occupation, lat, lon, minAge, maxAge, abroad, open) in rows.decode((Int64, String, Double?, Double?, Int?, Int?, Bool, Int).self)
        where open > 0 {
            result.append(OpenVacancy(facts: MatchingSnapshot.Vacancy(id: id, occupation: occupation, lat: lat, lon: lon, minAge: minAge,
                                                                     maxAge: maxAge, openToAbroadBound: abroad), openSlots: open))
        }
        return result
    }
}
