import Foundation
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// The service ranks from a compact in-memory table (`WorkerTable`, `MatchingRules`); the SQL ranking
/// (`SQLRanking`, with `candidate_points`) is the checking side. On a varied synthetic population they
/// must give the same lists, and the batch's order (priority group first) must agree with the points.
@Suite("Ranking from the worker table equals the SQL ranking")
struct WorkerTableTests {
    @Test("for every vacancy and several list lengths, the same workers in the same order with the same points")
    func sameAsSQL() async throws {
        try await withTestApp { _, _, url in
            try await MatchingVariety.seed(url: url)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                try await client.withConnection { connection in
                    let today = LocalDate.today()
                    let weights = try await MatchWeightsRepository.load(on: connection, logger: TestCluster.logger)
                    let vacancies = try await BatchMatcher.openVacancies(today: today, on: connection, logger: TestCluster.logger)
                    #expect(vacancies.count == 12)
                    let table = WorkerTable(weights: weights, today: today)
                    table.load(try await MatchingFactsReader.read(today: today, on: connection, logger: TestCluster.logger))
                    // The same facts loaded part by part while they are read (as the batch and the copy load them).
                    let parted = WorkerTable(weights: weights, today: today)
                    let loader = TableLoader(parted)
                    try await MatchingFactsReader.readRows(today: today, on: connection, logger: TestCluster.logger, part: 7) {
                        try await loader.add(rows: $0)
                    }
                    try await loader.finish()
                    #expect(parted.count == table.count && parted.count > 7)
                    let referred = try await BatchMatcher.held(vacancies: vacancies.map(\.facts.id), on: connection, logger: TestCluster.logger).1
                    var compared = 0
                    for vacancy in vacancies {
                        let excluded = referred[vacancy.facts.id] ?? []
                        for limit in [1, 5, 20, 200] {
                            let longer = try await SQLRanking.candidates(vacancyID: vacancy.facts.id, limit: limit + 1, today: today, on: connection)
                            let sql = Array(longer.prefix(limit))
                            let (memory, rest) = table.rank(vacancy.facts, count: limit, excluded: { excluded.contains($0) })
                            #expect(memory.map { table.id($0.slot) } == sql.map(\.id), "vacancy \(vacancy.facts.id), limit \(limit)")
                            #expect(memory.map(\.points) == sql.map(\.points), "vacancy \(vacancy.facts.id), limit \(limit)")
                            // What is left unlisted is bounded from above by the bound the ranking reports.
                            if longer.count > limit { #expect((rest?.points ?? Int.min) >= longer[limit].points) }
                            compared += sql.count
                            // Priority first: the same workers, poor and near-poor households ahead, each part in points order.
                            let batchOrder = table.rank(vacancy.facts, count: limit, order: .priorityFirst, excluded: { excluded.contains($0) }).list
                            let flags = batchOrder.map(\.priority)
                            #expect(flags == flags.sorted { $0 && !$1 }, "vacancy \(vacancy.facts.id)")
                            for group in [true, false] {
                                let points = batchOrder.filter { $0.priority == group }.map(\.points)
                                #expect(points == points.sorted(by: >))
                            }
                        }
                        // The whole list, unlimited: exactly the SQL's eligible workers.
                        let all = try await SQLRanking.candidates(vacancyID: vacancy.facts.id, limit: 100_000, today: today, on: connection)
                        let (everyone, rest) = table.rank(vacancy.facts, count: 100_000, excluded: { excluded.contains($0) })
                        #expect(everyone.map { table.id($0.slot) } == all.map(\.id))
                        #expect(rest == nil)
                        let fromParts = parted.rank(vacancy.facts, count: 100_000, excluded: { excluded.contains($0) }).list
                        #expect(fromParts.map { parted.id($0.slot) } == all.map(\.id), "vacancy \(vacancy.facts.id), loaded in parts")
                        // Read in pieces and kept open (the batch's lists), each order gives the list ranked at once,
                        // across the priority group's end, with the same bound of what is left after each piece.
                        for order in [WorkerTable.RankOrder.points, .priorityFirst] {
                            let whole = table.rank(vacancy.facts, count: 100_000, order: order, excluded: { excluded.contains($0) }).list
                            let ranking = WorkerTable.Ranking(table, vacancy.facts, order: order, excluded: { excluded.contains($0) })
                            var pieces: [WorkerTable.Ranked] = []
                            for size in [1, 2, 3, 7, 20, 50, 100_000] {
                                pieces += ranking.next(size)
                                // The bound of what is left: nil only when nothing is, and never below the next worker.
                                guard pieces.count < whole.count else { continue }
                                let next = whole[pieces.count]
                                let bound = try #require(ranking.rest, "vacancy \(vacancy.facts.id), \(order), after \(pieces.count)")
                                if order == .points {
                                    #expect(bound.points >= next.points)
                                } else {
                                    #expect(bound.priority && !next.priority || bound.priority == next.priority && bound.points >= next.points)
                                }
                            }
                            #expect(ranking.rest == nil)
                            #expect(pieces == whole, "vacancy \(vacancy.facts.id), \(order)")
                            #expect(whole.count == everyone.count)
                        }
                    }
                    #expect(compared > 1000)
                    // The batch's rankings read further class by class in turn, with one kept open at a time: a
                    // dropped one is ranked again to where it was, and every piece is the list ranked at once.
                    let classes = VacancyClasses(
                        vacancies: vacancies.map(\.facts),
                        openSlots: vacancies.map(\.openSlots),
                        alone: { !(referred[vacancies[$0].facts.id] ?? []).isEmpty }
                    )
                    let rankings = BatchMatcher.OpenRankings(
                        table: table,
                        vacancies: vacancies,
                        classes: classes,
                        held: (pending: [], referred: referred),
                        limit: 1
                    )
                    #expect(classes.members.count > 1)
                    for (have, more) in [(0, 1), (1, 2), (3, 7), (10, 30), (40, 200)] {
                        for c in classes.members.indices {
                            let vacancy = vacancies[classes.members[c][0]].facts
                            let excluded = referred[vacancy.id] ?? []
                            let atOnce = table.rank(vacancy, count: have + more, order: .priorityFirst, excluded: { excluded.contains($0) }).list
                            let piece = rankings.next(c, have: have, more: more).list
                            #expect(piece == Array(atOnce.dropFirst(have)), "class \(c), from \(have)")
                        }
                    }
                }
            }
        }
    }

    @Test("patched in place (a worker changed, added, removed; new weights; a new day) it ranks as a table read afresh")
    func patchedEqualsFresh() async throws {
        try await withTestApp { _, _, url in
            try await MatchingVariety.seed(url: url, workers: 300, vacancies: 6)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                try await client.withConnection { connection in
                    let logger = TestCluster.logger
                    let today = LocalDate.today()
                    let weights = try await MatchWeightsRepository.load(on: connection, logger: logger)
                    let workers = try await MatchingFactsReader.read(today: today, on: connection, logger: logger)
                    let vacancies = try await BatchMatcher.openVacancies(today: today, on: connection, logger: logger).map(\.facts)
                    let patched = WorkerTable(weights: weights, today: today)
                    patched.load(workers)
                    var changed = workers
                    changed[0].occupations = [vacancies[0].occupation]
                    changed[0].status = .poor
                    changed[1].trainedOccupations = [vacancies[1].occupation]
                    changed[2].maxCommuteKm = 1
                    var newcomer = workers[3]
                    newcomer.id = 9_999_999
                    newcomer.createdAt += 1
                    changed.append(newcomer)
                    let removed = changed.remove(at: 4)
                    for worker in [changed[0], changed[1], changed[2], newcomer] { patched.upsert(worker) }
                    patched.remove(id: removed.id)
                    var heavier = weights.points
                    heavier["priority_woman"] = 90
                    let newWeights = MatchWeights(points: heavier)!
                    let tomorrow = today.adding(days: 400)
                    patched.recompute(today: tomorrow, weights: newWeights)
                    let fresh = WorkerTable(weights: newWeights, today: tomorrow)
                    fresh.load(changed)
                    for vacancy in vacancies {
                        for order in [WorkerTable.RankOrder.points, .priorityFirst] {
                            let a = patched.rank(vacancy, count: 50, order: order).list.map { (patched.id($0.slot), $0.points) }
                            let b = fresh.rank(vacancy, count: 50, order: order).list.map { (fresh.id($0.slot), $0.points) }
                            #expect(a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1), "vacancy \(vacancy.id)")
                        }
                    }
                    #expect(patched.aliveCount == fresh.aliveCount)
                    #expect(patched.memoryBytes / max(1, patched.aliveCount) < 400)
                }
            }
        }
    }
}
