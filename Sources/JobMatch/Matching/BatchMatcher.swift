import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Proposes referrals for all open vacancies at once, exactly over every eligible worker: each worker
/// to at most one vacancy, each vacancy up to its open slots; as many slots filled as the hard filters
/// allow, then as many workers of poor and near-poor households, then the highest total score
/// (`ExactAssignment` over each vacancy's ranked candidates from a `WorkerTable`, read as far as the
/// solve needs). The batch proves it (`certificate`), counts on its own the most slots that can be
/// filled (`MaximumFill`), and records both. The proposals are referrals in status `proposed`:
/// nothing reaches an employer until staff accept them. One batch runs at a time.
public struct BatchMatcher: Sendable {
    let client: PostgresClient
    /// Where every worker's facts are read: the replica while it is in use (`ReadRouter`), else the
    /// batch's own transaction on the primary.
    let reads: ReadRouter
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.init(client: client, reads: .primaryOnly(client), logger: logger)
    }

    init(client: PostgresClient, reads: ReadRouter, logger: Logger) {
        self.client = client
        self.reads = reads
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

    /// The proof that no assignment does better (see `ExactAssignment.certificate`).
    public struct Certificate: Codable, Sendable {
        public let optimal: Bool
        public let violations: Int
        public let pairsChecked: Int
        /// How many times a vacancy's list was read further during the solve and the proof.
        public let listExtensions: Int
        /// Every slot went through the exact search (false: its time ran out and the rest were filled greedily).
        public let exactSearch: Bool
    }

    /// Where the batch's time went, in milliseconds.
    public struct Phases: Codable, Sendable {
        public let read: Int
        public let rank: Int
        public let assign: Int
        public let write: Int
    }

    public struct Summary: Codable, Sendable {
        public let batchId: Int64
        public let asOf: String
        public let vacancies: Int
        public let candidatesPerVacancy: Int
        public let openSlots: Int
        public let mostFillable: Int
        public let proposals: Int
        public let priorityProposals: Int
        public let totalScore: Int64
        public let greedyProposals: Int
        public let greedyPriority: Int
        public let greedyTotalScore: Int64
        public let certificate: Certificate
        public let durationMs: Int
        public let phasesMs: Phases
        public let items: [Proposal]
    }

    /// Workers with a pending proposal anywhere (left out of every list), and each vacancy's earlier
    /// referrals (left out of its own).
    typealias Held = (pending: Set<Int64>, referred: [Int64: Set<Int64>])

    /// An open vacancy and its open slots: slots not filled and not already held by a pending proposal.
    struct OpenVacancy {
        let facts: MatchingVacancy
        let openSlots: Int
    }

    /// How long the exact search may run by default: about six times what 2,000,000 workers and
    /// 40,000 vacancies take on 2 cores (20 s), so a batch of that size is proven optimal, while a
    /// pathological population cannot hold the batch's lock for an hour.
    public static let defaultExactSeconds = 120

    /// Runs a batch; no `actor` means the command line (the system). Throws 409 while another batch runs.
    /// `candidatesPerVacancy`: how many of each vacancy's candidates are read first (more are read as needed).
    /// `exactSeconds`: how long the exact search may run; past it the remaining slots get their best
    /// free candidate and the proof tells whether the result is still optimal.
    public func run(
        actor: Principal?,
        candidatesPerVacancy: Int = 20,
        exactSeconds: Int = Self.defaultExactSeconds,
        today: LocalDate = MatchingClock.today()
    ) async throws
        -> Summary
    {
        let staffID = actor?.staffID
        let clock = ContinuousClock()
        let started = clock.now
        func ms(_ from: ContinuousClock.Instant) -> Int { Int((clock.now - from) / .milliseconds(1)) }
        let logger = self.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            guard
                try await tx.query("SELECT pg_try_advisory_xact_lock(hashtextextended('jobmatch-match-batch', 0))", logger: logger).first(Bool.self)
                    == true
            else { throw AppError.conflict("Một lượt ghép tự động khác đang chạy; hãy thử lại sau.") }
            try await tx.allowLongWork(.job, logger: logger)
            let weights = try await MatchWeightsRepository.load(on: tx, logger: logger)
            let vacancies = try await Self.openVacancies(today: today, on: tx, logger: logger)
            let table = WorkerTable(weights: weights, today: today)
            let route = self.reads.route()
            let loader = TableLoader(table)
            if route.onReplica {
                try await Self.facts(today: today, on: route.client, logger: logger) { try await loader.add(rows: $0) }
            } else {
                try await MatchingFactsReader.readRows(today: today, on: tx, logger: logger) { try await loader.add(rows: $0) }
            }
            try await loader.finish()
            let (pending, referred) = try await Self.held(vacancies: vacancies.map(\.facts.id), on: tx, logger: logger)
            let readMs = ms(started)

            // Vacancies that rank every worker alike are one node (`VacancyClasses`).
            let classes = VacancyClasses(
                vacancies: vacancies.map(\.facts),
                openSlots: vacancies.map(\.openSlots),
                alone: { !(referred[vacancies[$0].facts.id] ?? []).isEmpty }
            )
            // The most that can be filled is counted on matching's other thread, from lists of its own,
            // while the solve runs (the table is only read by both); it keeps fewer rankings open, so
            // it spends more time ranking again but not the solve's memory twice.
            async let most = MatchingThreads.run {
                let rankings = OpenRankings(table: table, vacancies: vacancies, classes: classes, held: (pending, referred), limit: 256)
                return MaximumFill.slots(capacities: classes.capacities, lists: Self.lists(rankings, first: candidatesPerVacancy))
            }
            let solve = try await MatchingThreads.run {
                Self.solve(
                    vacancies: vacancies,
                    classes: classes,
                    table: table,
                    held: (pending, referred),
                    candidatesPerVacancy: candidatesPerVacancy,
                    exactSeconds: exactSeconds
                )
            }
            let mostFillable = try await most
            let openSlots = classes.capacities.reduce(0, +)
            let (chosen, proof) = (solve.chosen, solve.proof)
            let rankMs = solve.rankMs
            let assignMs = solve.assignMs
            if !proof.optimal || mostFillable != chosen.count {
                logger.error(
                    "match batch not proven optimal",
                    metadata: [
                        "violations": "\(proof.violations)", "filled": "\(chosen.count)",
                        "most": "\(mostFillable)",
                    ]
                )
            }

            let writeStarted = clock.now
            // The greedy baseline (for comparison only) is worked out on matching's other thread while
            // the proposals are written, and its figures filled in at the end of the same transaction.
            let baseline = solve.baseline
            async let greedyPairs = MatchingThreads.run { GreedyBaseline.pairs(capacities: baseline.capacities, lists: baseline.lists) }
            let explained = chosen.map { pair -> (MatchingWorker, CandidateScore) in
                let worker = table.worker(pair.worker)
                let vacancy = vacancies[pair.vacancy].facts
                let distance = MatchingRules.distanceKm(worker.lat, worker.lon, vacancy.lat, vacancy.lon)
                return (worker, CandidateScorer.score(worker.facts(for: vacancy, distanceKm: distance, today: today), weights: weights))
            }
            let priority = chosen.filter { table.isPriority($0.worker) }.count
            let total = explained.reduce(Int64(0)) { $0 + Int64($1.1.total) }
            let batchID = try await tx.query(
                """
                INSERT INTO match_batches (as_of, vacancies, candidates_per_vacancy, proposals, priority_proposals, total_score, greedy_proposals,
                                           greedy_priority, greedy_total_score, duration_ms, created_by, open_slots, most_fillable,
                                           certificate_violations, pairs_checked)
                VALUES (\(today.description)::date, \(vacancies.count), \(candidatesPerVacancy), \(chosen.count), \(priority), \(total),
                        0, 0, 0, \(ms(started)), \(staffID), \(openSlots),
                        \(mostFillable), \(proof.violations), \(Int64(proof.pairsChecked)))
                RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            // Every proposal and its first step in two statements, however many there are.
            let vacancyIDs = chosen.map { vacancies[$0.vacancy].facts.id }
            let workerIDs = explained.map(\.0.id)
            let partsJSON = explained.map { ReferralService.partsJSON($0.1) }
            let inserted = try await tx.query(
                """
                WITH input AS (
                    SELECT * FROM unnest(\(vacancyIDs)::bigint[], \(workerIDs)::bigint[], \(explained.map { Int64($0.1.total) })::bigint[],
                                         \(partsJSON)::text[]) AS t(vacancy_id, worker_id, score, parts)
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
                """,
                logger: logger
            ).decode((Int64, Int64, Int64).self).collect()
            var referralIDs: [Int64: Int64] = [:]  // worker -> referral (a worker is proposed once)
            for (id, _, worker) in inserted { referralIDs[worker] = id }
            let items = chosen.indices.map { index in
                Proposal(
                    referralId: referralIDs[workerIDs[index]]!,
                    vacancyId: vacancyIDs[index],
                    workerId: workerIDs[index],
                    score: explained[index].1.total,
                    priorityGroup: table.isPriority(chosen[index].worker),
                    scoreParts: explained[index].1.parts
                )
            }
            let greedy = try await greedyPairs
            let greedyPriority = greedy.filter { table.isPriority($0.worker) }.count
            let greedyTotal = greedy.reduce(Int64(0)) { $0 + $1.gain.low }
            try await tx.query(
                """
                UPDATE match_batches SET greedy_proposals = \(greedy.count), greedy_priority = \(greedyPriority),
                                         greedy_total_score = \(greedyTotal)
                WHERE id = \(batchID)
                """,
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "match_batch",
                entity: "match_batch",
                entityID: batchID,
                after: ["proposals": "\(items.count)"],
                logger: logger
            )
            let writeMs = ms(writeStarted)
            return Summary(
                batchId: batchID,
                asOf: today.description,
                vacancies: vacancies.count,
                candidatesPerVacancy: candidatesPerVacancy,
                openSlots: openSlots,
                mostFillable: mostFillable,
                proposals: items.count,
                priorityProposals: priority,
                totalScore: total,
                greedyProposals: greedy.count,
                greedyPriority: greedyPriority,
                greedyTotalScore: greedyTotal,
                certificate: Certificate(
                    optimal: proof.optimal && mostFillable == chosen.count,
                    violations: proof.violations,
                    pairsChecked: proof.pairsChecked,
                    listExtensions: solve.listExtensions,
                    exactSearch: solve.exact
                ),
                durationMs: ms(started),
                phasesMs: Phases(read: readMs, rank: rankMs, assign: assignMs, write: writeMs),
                items: items
            )
        }
    }

    /// What the solve gives the batch to write.
    struct Solved: Sendable {
        let chosen: [(vacancy: Int, worker: Int32, gain: Gain)]
        /// What the greedy baseline is worked out from, after the solve.
        let baseline: Baseline
        let proof: ExactAssignment.Certificate
        let listExtensions: Int
        let exact: Bool
        let rankMs: Int
        let assignMs: Int
    }

    /// Ranks each class of vacancies' candidates among the workers not held elsewhere (priority
    /// group first, read further as the solve needs) and solves the assignment, with its proof and
    /// what the greedy baseline is worked out from.
    static func solve(
        vacancies: [OpenVacancy],
        classes: VacancyClasses,
        table: WorkerTable,
        held: Held,
        candidatesPerVacancy: Int,
        exactSeconds: Int
    ) -> Solved {
        let clock = ContinuousClock()
        let rankStarted = clock.now
        let lists = Self.lists(OpenRankings(table: table, vacancies: vacancies, classes: classes, held: held), first: candidatesPerVacancy)
        let rankMs = Int((clock.now - rankStarted) / .milliseconds(1))
        let assignStarted = clock.now
        let capacities = classes.capacities
        let solved = ExactAssignment(capacities: capacities, lists: lists, deadline: clock.now + .seconds(exactSeconds))
        let proof = solved.certificate()
        let chosen = classes.deal(solved.pairs)
        return Solved(
            chosen: chosen,
            baseline: Baseline(capacities: capacities, lists: lists),
            proof: proof,
            listExtensions: lists.extensions,
            exact: solved.exact,
            rankMs: rankMs,
            assignMs: Int((clock.now - assignStarted) / .milliseconds(1))
        )
    }

    /// The capacities and the lists the solve read, for the greedy baseline: nothing changes them once
    /// the solve is done, so another thread may read them.
    struct Baseline: @unchecked Sendable {
        let capacities: [Int]
        let lists: CandidateLists
    }

    /// Each class's candidates as the solve reads them: `first` at once, then further from `rankings`.
    static func lists(_ rankings: OpenRankings, first: Int) -> CandidateLists {
        CandidateLists(vacancies: rankings.classes.members.count, first: first) { c, have, more in
            let (ranked, rest) = rankings.next(c, have: have, more: more)
            return (
                ranked.map { CandidateEntry(worker: $0.slot, gain: Gain(priority: $0.priority, score: $0.points)) },
                rest.map { Gain(priority: $0.priority, score: $0.points) }
            )
        }
    }

    /// Each class's ranking kept open between reads (priority group first, among the workers not
    /// held elsewhere), so a list read further goes on where it stopped. A ranking is kept from its
    /// first read further on (most lists never are), at most `limit` of them (each holds its open
    /// buckets); one dropped is ranked again to where it was when it is needed.
    final class OpenRankings {
        let table: WorkerTable
        let vacancies: [OpenVacancy]
        let classes: VacancyClasses
        let held: Held
        let limit: Int
        private var open: [Int: WorkerTable.Ranking] = [:]
        private var order: [Int] = []

        init(
            table: WorkerTable,
            vacancies: [OpenVacancy],
            classes: VacancyClasses,
            held: Held,
            limit: Int = 4096
        ) {
            self.table = table
            self.vacancies = vacancies
            self.classes = classes
            self.held = held
            self.limit = limit
        }

        /// Class c's ranked workers from position `have` on, at most `more`, and the bound of the rest.
        func next(_ c: Int, have: Int, more: Int) -> (list: [WorkerTable.Ranked], rest: WorkerTable.Rest?) {
            let ranking: WorkerTable.Ranking
            if let kept = self.open[c] {
                ranking = kept
            } else {
                let vacancy = self.vacancies[self.classes.members[c][0]].facts
                let excluded = self.held.referred[vacancy.id] ?? []
                let pending = self.held.pending
                ranking = WorkerTable.Ranking(
                    self.table,
                    vacancy,
                    order: .priorityFirst,
                    excluded: { pending.contains($0) || excluded.contains($0) }
                )
                guard have > 0 else { return (ranking.next(more), ranking.rest) }  // most lists are never read further
                _ = ranking.next(have)
                if self.order.count >= self.limit { self.open[self.order.removeFirst()] = nil }
                self.open[c] = ranking
                self.order.append(c)
            }
            let list = ranking.next(more)
            ranking.trim()
            return (list, ranking.rest)
        }
    }

    /// Every eligible worker's facts read on the standby, in a transaction of its own there with
    /// a batch's time limits. They may be as old as the replica's lag limit: accepting a proposal
    /// checks consent and eligibility again on the primary.
    static func facts(
        today: LocalDate,
        on replica: PostgresClient,
        logger: Logger,
        each: @escaping @Sendable ([PostgresRow]) async throws -> Void
    ) async throws {
        try await replica.withTransaction(logger: logger) { tx in
            try await tx.allowLongWork(.job, logger: logger)
            try await MatchingFactsReader.readRows(today: today, on: tx, logger: logger, each: each)
        }
    }

    /// Workers with a pending proposal anywhere, and each open vacancy's earlier referrals.
    static func held(vacancies: [Int64], on tx: PostgresConnection, logger: Logger) async throws -> Held {
        let pending = Set(
            try await tx.query("SELECT DISTINCT worker_id FROM referrals WHERE status = 'proposed'", logger: logger)
                .decode(Int64.self).collect()
        )
        var referred: [Int64: Set<Int64>] = [:]
        let rows = try await tx.query("SELECT vacancy_id, worker_id FROM referrals WHERE vacancy_id = ANY(\(vacancies))", logger: logger)
        for try await (vacancy, worker) in rows.decode((Int64, Int64).self) { referred[vacancy, default: []].insert(worker) }
        return (pending, referred)
    }

    /// Open vacancies (status open, closing date not passed) with at least one open slot, by id. The
    /// pending proposals are counted in one pass, not once per vacancy: right after a batch, before
    /// the statistics know its rows, the per-vacancy count scanned all of them for each of 10,000
    /// vacancies (7.9 s instead of 5 ms at 10,000 vacancies and 32,000 proposals).
    static func openVacancies(today: LocalDate, on tx: PostgresConnection, logger: Logger) async throws -> [OpenVacancy] {
        let rows = try await tx.query(
            """
            SELECT v.id, v.occupation_code, wd.lat, wd.lon, v.min_age, v.max_age, v.open_to_abroad_bound,
                   v.slots - v.slots_filled - COALESCE(p.pending, 0)::int
            FROM vacancies v LEFT JOIN wards_2025 wd ON wd.ward_code = v.ward_code
            LEFT JOIN (SELECT vacancy_id, count(*) AS pending FROM referrals WHERE status = 'proposed' GROUP BY vacancy_id) p
                   ON p.vacancy_id = v.id
            WHERE v.status = 'open' AND v.closing_date >= \(today.description)::date
            ORDER BY v.id
            """,
            logger: logger
        )
        var result: [OpenVacancy] = []
        for try await (id, occupation, lat, lon, minAge, maxAge, abroad, open) in rows.decode(
            (Int64, String, Double?, Double?, Int?, Int?, Bool, Int).self
        )
        where open > 0 {
            result.append(
                OpenVacancy(
                    facts: MatchingVacancy(
                        id: id,
                        occupation: occupation,
                        lat: lat,
                        lon: lon,
                        minAge: minAge,
                        maxAge: maxAge,
                        openToAbroadBound: abroad
                    ),
                    openSlots: open
                )
            )
        }
        return result
    }
}
