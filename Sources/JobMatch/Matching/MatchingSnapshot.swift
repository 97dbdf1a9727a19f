import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Every worker a batch may propose, read once in one set-based query (the vacancy-independent
/// filters of `CandidateFinder.workerEligibility`, household status as of the day), so that the
/// batch ranks each vacancy's candidates in memory instead of one query per vacancy. The ranking
/// is the same as `CandidateFinder`'s: the same hard filters, `CandidateScorer`'s points, the same
/// order (points, then registered earlier, then lower id); a test compares the two lists.
///
/// Each vacancy looks first at workers who share its occupation group or trained for it, then
/// at everyone, each list in order of the vacancy-independent part of the score, and stops a
/// list as soon as that part plus the most the vacancy-dependent parts (occupation, training,
/// distance) could add falls below the last of the best `limit`: the result is exact.
final class MatchingSnapshot {
    /// A worker's facts, as the score and the filters need them (a class: the ranking reads
    /// thousands per vacancy, and copying a struct of strings and arrays costs more than the score).
    final class Worker {
        let id: Int64
        let createdAt: Int64
        let registeredOn: LocalDate
        let status: HouseholdStatus
        let occupations: [String]
        let trainedOccupations: [String]
        let lat: Double?
        let lon: Double?
        let maxCommuteKm: Int?
        let birthDate: LocalDate
        let sex: CandidateFacts.Sex
        let ethnicity: String?
        let disabled: Bool
        /// About to leave under an overseas contract (not departed, departure planned from today).
        let leaving: Bool
        /// The vacancy-independent points: priority group, waiting time, the plan's priorities.
        var fixedPoints = 0

        init(id: Int64, createdAt: Int64, registeredOn: LocalDate, status: HouseholdStatus, occupations: [String], trainedOccupations: [String],
             lat: Double?, lon: Double?, maxCommuteKm: Int?, birthDate: LocalDate, sex: CandidateFacts.Sex, ethnicity: String?, disabled: Bool,
             leaving: Bool) {
            self.id = id
            self.createdAt = createdAt
            self.registeredOn = registeredOn
            self.status = status
            self.occupations = occupations
            self.trainedOccupations = trainedOccupations
            self.lat = lat
            self.lon = lon
            self.maxCommuteKm = maxCommuteKm
            self.birthDate = birthDate
            self.sex = sex
            self.ethnicity = ethnicity
            self.disabled = disabled
            self.leaving = leaving
        }
    }

    /// An open vacancy as the filters need it.
    struct Vacancy {
        let id: Int64
        let occupation: String
        let lat: Double?
        let lon: Double?
        let minAge: Int?
        let maxAge: Int?
        let openToAbroadBound: Bool
    }

    /// A ranked candidate: the worker (an index into `workers`), points and the distance used.
    struct Candidate {
        let worker: Int
        let points: Int
        let distanceKm: Double?
    }

    let workers: [Worker]
    let weights: MatchWeights
    let today: LocalDate
    /// Workers in order of their fixed points (best first, then registered earlier, then id).
    private let byFixedPoints: [Int]
    /// Workers by the first 2, 3 and 4 digits of an occupation (each list in `byFixedPoints` order).
    private let byOccupation: [Int: [String: [Int]]]
    /// Workers by the first 3 digits of a completed course's occupation.
    private let byTraining: [String: [Int]]
    /// (vacancy, worker) pairs that already have a referral.
    private let referred: Set<Pair>
    /// Which workers one vacancy's ranking has looked at: `visited[i] == visit`.
    private var visited: [UInt32]
    private var visit: UInt32 = 0

    struct Pair: Hashable {
        let vacancy: Int64
        let worker: Int64
    }

    /// Reads every eligible worker and the referrals of `vacancies`.
    static func load(today: LocalDate, weights: MatchWeights, vacancies: [Int64], on connection: PostgresConnection,
                     logger: Logger) async throws -> MatchingSnapshot {
        let day = today.description
        let rows = try await connection.query(
            """
            SELECT w.id, (extract(epoch FROM w.created_at) * 1000000)::bigint, (w.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text,
                   COALESCE(hs.status, 'none'),
                   ARRAY(SELECT o.occupation_code FROM worker_occupations o WHERE o.worker_id = w.id),
                   ARRAY(SELECT co.occupation_code FROM enrolments e JOIN courses co ON co.id = e.course_id
                         WHERE e.worker_id = w.id AND e.status = 'completed'),
                   wd.lat, wd.lon, w.max_commute_km, w.birth_date::text, w.sex, w.ethnicity, w.disability_type IS NOT NULL,
                   \(unescaped: CandidateFinder.leavingSoon)
            FROM workers w
            LEFT JOIN wards_2025 wd ON wd.ward_code = w.ward_code
            LEFT JOIN household_statuses hs ON hs.household_id = w.household_id AND hs.valid_from <= \(day)::date
                                           AND (hs.valid_to IS NULL OR hs.valid_to >= \(day)::date)
            WHERE w.job_seeking_status = 'seeking' AND w.merged_into IS NULL AND w.anonymised_at IS NULL
              AND \(unescaped: CandidateFinder.workerEligibility)
            """, logger: logger)
        var workers: [Worker] = []
        for try await row in rows {
            let (id, createdAt, registered, status, occupations, trained, lat, lon, maxCommute, birth, sex, ethnicity, disabled, leaving) =
                try row.decode((Int64, Int64, String, String, [String], [String], Double?, Double?, Int?, String, String, String?, Bool, Bool).self)
            guard let registeredOn = LocalDate(registered), let birthDate = LocalDate(birth) else { continue }
            let worker = Worker(id: id, createdAt: createdAt, registeredOn: registeredOn, status: HouseholdStatus(rawValue: status) ?? .none,
                                occupations: occupations, trainedOccupations: trained, lat: lat, lon: lon, maxCommuteKm: maxCommute,
                                birthDate: birthDate, sex: CandidateFacts.Sex(rawValue: sex) ?? .male, ethnicity: ethnicity,
                                disabled: disabled, leaving: leaving)
            worker.fixedPoints = Self.fixedPoints(worker, today: today, weights: weights)
            workers.append(worker)
        }
        let referrals = try await connection.query(
            "SELECT vacancy_id, worker_id FROM referrals WHERE vacancy_id = ANY(\(vacancies))", logger: logger)
        var referred = Set<Pair>()
        for try await (vacancy, worker) in referrals.decode((Int64, Int64).self) { referred.insert(Pair(vacancy: vacancy, worker: worker)) }
        return MatchingSnapshot(workers: workers, weights: weights, today: today, referred: referred)
    }

    init(workers: [Worker], weights: MatchWeights, today: LocalDate, referred: Set<Pair>) {
        self.workers = workers
        self.weights = weights
        self.today = today
        self.referred = referred
        self.visited = Array(repeating: 0, count: workers.count)
        let order = workers.indices.sorted { a, b in
            let (x, y) = (workers[a], workers[b])
            if x.fixedPoints != y.fixedPoints { return x.fixedPoints > y.fixedPoints }
            if x.createdAt != y.createdAt { return x.createdAt < y.createdAt }
            return x.id < y.id
        }
        self.byFixedPoints = order
        var byOccupation: [Int: [String: [Int]]] = [2: [:], 3: [:], 4: [:]]
        var byTraining: [String: [Int]] = [:]
        for index in order {
            for length in 2...4 {
                var seen = Set<String>()
                for code in workers[index].occupations where code.count >= length {
                    let prefix = String(code.prefix(length))
                    if seen.insert(prefix).inserted { byOccupation[length]![prefix, default: []].append(index) }
                }
            }
            var seen = Set<String>()
            for code in workers[index].trainedOccupations where code.count >= 3 {
                let prefix = String(code.prefix(3))
                if seen.insert(prefix).inserted { byTraining[prefix, default: []].append(index) }
            }
        }
        self.byOccupation = byOccupation
        self.byTraining = byTraining
    }

    /// The points that do not depend on the vacancy (as `CandidateScorer` gives them).
    static func fixedPoints(_ worker: Worker, today: LocalDate, weights: MatchWeights) -> Int {
        let facts = CandidateFacts(householdStatus: worker.status, workerOccupations: [], vacancyOccupation: "", registeredOn: worker.registeredOn,
                                   today: today, sex: worker.sex, ethnicity: worker.ethnicity, hasDisability: worker.disabled)
        let score = CandidateScorer.score(facts, weights: weights)
        return score.parts.filter { !["occupation_match", "training", "distance"].contains($0.key) }.reduce(0) { $0 + $1.points }
    }

    /// The best `limit` eligible workers for `vacancy`, best first, excluding `excluded` worker ids.
    func candidates(for vacancy: Vacancy, limit: Int, excluding excluded: Set<Int64> = []) -> [Candidate] {
        guard limit > 0 else { return [] }
        let w = self.weights
        let occupationPoints = [0, 0, w["occupation_sub_major_group"], w["occupation_minor_group"], w["occupation_unit_group"]]
        let distanceMax = w["distance_max"]
        let training = w["training_relevant"]
        let code = vacancy.occupation
        // The lists to look through, each with the most its members can still add for this vacancy:
        // first those who trained for it (everything), then by occupation group (no training: the
        // trained were looked at or shown unable to rank), then everyone (distance only).
        var lists: [([Int], Int)] = []
        if code.count >= 3 {
            lists.append((self.byTraining[String(code.prefix(3))] ?? [], occupationPoints.max()! + training + distanceMax))
        }
        for length in [4, 3, 2] where code.count >= length {
            let best = occupationPoints[length...].max()!
            lists.append((self.byOccupation[length]?[String(code.prefix(length))] ?? [], best + distanceMax))
        }
        lists.append((self.byFixedPoints, distanceMax))

        let ages = Ages(oldestBirth: vacancy.maxAge.map { self.today.subtracting(years: $0 + 1) },
                        youngestBirth: vacancy.minAge.map { self.today.subtracting(years: $0) })
        self.visit &+= 1
        if self.visit == 0 {
            self.visited = Array(repeating: 0, count: self.workers.count)
            self.visit = 1
        }
        var top: [Candidate] = []
        for (list, most) in lists {
            for index in list {
                let worker = self.workers[index]
                if top.count == limit, worker.fixedPoints + most < top[limit - 1].points { break }
                guard self.visited[index] != self.visit else { continue }
                self.visited[index] = self.visit
                guard !excluded.contains(worker.id),
                      let candidate = self.evaluate(worker, index, vacancy: vacancy, ages: ages, occupationPoints: occupationPoints,
                                                    training: training, distanceMax: distanceMax)
                else { continue }
                self.insert(candidate, into: &top, limit: limit)
            }
        }
        return top
    }

    /// A vacancy's age range as birth dates: born after `oldestBirth`, on or before `youngestBirth`.
    private struct Ages {
        let oldestBirth: LocalDate?
        let youngestBirth: LocalDate?
    }

    /// The worker's points for the vacancy, or nil when a hard filter excludes them.
    private func evaluate(_ worker: Worker, _ index: Int, vacancy: Vacancy, ages: Ages, occupationPoints: [Int], training: Int,
                          distanceMax: Int) -> Candidate? {
        if let youngest = ages.youngestBirth, !(worker.birthDate <= youngest) { return nil }
        if let oldest = ages.oldestBirth, !(oldest < worker.birthDate) { return nil }
        if worker.leaving && !vacancy.openToAbroadBound { return nil }
        if self.referred.contains(Pair(vacancy: vacancy.id, worker: worker.id)) { return nil }
        let distance = Self.distanceKm(worker.lat, worker.lon, vacancy.lat, vacancy.lon)
        if let maxCommute = worker.maxCommuteKm, let distance, distance > Double(maxCommute) { return nil }
        var depth = 0
        for code in worker.occupations { depth = max(depth, Self.sharedLevels(code, vacancy.occupation)) }
        let trained = worker.trainedOccupations.contains { Self.sharedLevels($0, vacancy.occupation) >= 3 }
        let points = worker.fixedPoints + occupationPoints[min(depth, 4)] + (trained ? training : 0)
            + CandidateScorer.distancePoints(distance, maxCommuteKm: worker.maxCommuteKm, weight: distanceMax)
        return Candidate(worker: index, points: points, distanceKm: distance)
    }

    /// `CandidateScorer.sharedLevels` on the codes' bytes (occupation codes are ASCII digits).
    static func sharedLevels(_ a: String, _ b: String) -> Int {
        var count = 0
        var (x, y) = (a.utf8.makeIterator(), b.utf8.makeIterator())
        while count < 4, let p = x.next(), let q = y.next(), p == q { count += 1 }
        return count
    }

    /// Keeps `top` sorted best first and at most `limit` long.
    private func insert(_ candidate: Candidate, into top: inout [Candidate], limit: Int) {
        func better(_ a: Candidate, _ b: Candidate) -> Bool {
            if a.points != b.points { return a.points > b.points }
            let (x, y) = (self.workers[a.worker], self.workers[b.worker])
            if x.createdAt != y.createdAt { return x.createdAt < y.createdAt }
            return x.id < y.id
        }
        if top.count == limit, !better(candidate, top[limit - 1]) { return }
        var low = 0
        var high = top.count
        while low < high {
            let middle = (low + high) / 2
            if better(top[middle], candidate) { low = middle + 1 } else { high = middle }
        }
        top.insert(candidate, at: low)
        if top.count > limit { top.removeLast() }
    }

    /// Great-circle distance between two wards, computed as `CandidateFinder`'s SQL does (so the
    /// same points come out); nil when either has no coordinates.
    static func distanceKm(_ lat1: Double?, _ lon1: Double?, _ lat2: Double?, _ lon2: Double?) -> Double? {
        guard let lat1, let lon1, let lat2, let lon2 else { return nil }
        let perDegree = 0.0174532925199432957692
        let a = pow(sin((lat1 - lat2) * perDegree / 2), 2) + cos(lat2 * perDegree) * cos(lat1 * perDegree) * pow(sin((lon1 - lon2) * perDegree / 2), 2)
        return 6371 * 2 * asin(sqrt(a))
    }
}
