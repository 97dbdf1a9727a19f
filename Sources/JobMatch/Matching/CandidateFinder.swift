import JobMatchCore
import Logging
import PostgresNIO

/// Finds the workers eligible for a vacancy and ranks them with `MatchingRules`, from the candidate
/// index's table when there is one (the table's best among the workers it has right, beside every
/// worker changed since its snapshot read again now) or from a read of every eligible worker; each
/// candidate's parts are then explained by `CandidateScorer`. The result is the list a ranking over
/// everyone gives, as of this transaction's snapshot (a test compares it with the SQL ranking).
struct CandidateFinder {
    let connection: PostgresConnection
    let logger: Logger
    var index: CandidateIndex? = nil

    /// An eligible worker and why they rank where they do.
    struct Candidate: Sendable {
        let workerID: Int64
        let fullName: String
        let householdStatus: HouseholdStatus
        let distanceKm: Double?
        let score: CandidateScore
    }

    /// Eligible candidates, best first (ties: registered earlier, then lower id), at most `limit`.
    /// Household status is judged as of `today`.
    /// `exceptReferral`: a proposal being accepted does not count as an earlier referral.
    func candidates(
        vacancyID: Int64,
        onlyWorker: Int64? = nil,
        exceptReferral: Int64? = nil,
        limit: Int,
        today: LocalDate = MatchingClock.today(),
        weights fixed: MatchWeights? = nil
    ) async throws -> [Candidate] {
        try await self.list(vacancyID: vacancyID, onlyWorker: onlyWorker, exceptReferral: exceptReferral, limit: limit, today: today, weights: fixed)
            ?? []
    }

    /// As `candidates`, but nil when there is no such vacancy.
    func list(
        vacancyID: Int64,
        onlyWorker: Int64? = nil,
        exceptReferral: Int64? = nil,
        limit: Int,
        today: LocalDate = MatchingClock.today(),
        weights fixed: MatchWeights? = nil
    ) async throws -> [Candidate]? {
        let copy = onlyWorker == nil && fixed == nil ? self.index?.copy : nil
        guard
            let asked = try await Self.ask(vacancyID: vacancyID, exceptReferral: exceptReferral, copy: copy, on: self.connection, logger: self.logger)
        else { return nil }
        let (vacancy, referred) = (asked.vacancy, asked.referred)
        let weights = fixed ?? asked.weights

        if let index = self.index, let copy, let changed = asked.changed {
            // The copy's best among the workers it has right, and everyone it may have wrong read now.
            var recheck = changed.union(copy.volatile)
            if copy.factsDay != today {
                recheck.formUnion(
                    try await MatchingFactsReader.statusTurning(from: copy.factsDay, to: today, on: self.connection, logger: self.logger)
                )
            }
            let overlay = WorkerTable(weights: weights, today: today)
            if !recheck.isEmpty {
                overlay.load(try await MatchingFactsReader.read(today: today, only: recheck.sorted(), on: self.connection, logger: self.logger))
            }
            let best = index.withTable(copy) { table in
                table.bring(to: today, weights: weights)
                return table.rank(vacancy, count: limit, excluded: { referred.contains($0) || recheck.contains($0) }).list
                    .map { (table.worker($0.slot), $0) }
            }
            let others = overlay.rank(vacancy, count: limit, excluded: { referred.contains($0) }).list.map { (overlay.worker($0.slot), $0) }
            let merged = (best + others).sorted { a, b in
                WorkerTable.ranksBefore(points: a.1.points, a.0.createdAt, a.0.id, than: b.1.points, b.0.createdAt, b.0.id)
            }.prefix(limit)
            index.countServed(fromCopy: true)
            return try await self.explain(Array(merged), vacancy: vacancy, today: today, weights: weights)
        }
        // No copy to serve from (or asked for one worker): read the workers and rank them here.
        let table = WorkerTable(weights: weights, today: today)
        table.load(try await MatchingFactsReader.read(today: today, only: onlyWorker.map { [$0] }, on: self.connection, logger: self.logger))
        if onlyWorker == nil { self.index?.countServed(fromCopy: false) }
        let ranked = table.rank(vacancy, count: limit, excluded: { referred.contains($0) }).list.map { (table.worker($0.slot), $0) }
        return try await self.explain(ranked, vacancy: vacancy, today: today, weights: weights)
    }

    /// What one list needs, in one round trip: the vacancy, the weights, its earlier referrals and,
    /// with a copy, the workers changed since the copy's snapshot (nil: a change may reach anyone).
    /// Nil when there is no such vacancy.
    static func ask(
        vacancyID: Int64,
        exceptReferral: Int64?,
        copy: CandidateIndex.Copy?,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws
        -> (vacancy: MatchingVacancy, weights: MatchWeights, referred: Set<Int64>, changed: Set<Int64>?)?
    {
        let (snapshot, xmin) = (copy?.databaseSnapshot, copy?.databaseXmin)
        let rows = try await connection.query(
            """
            SELECT v.occupation_code, wd.lat, wd.lon, v.min_age, v.max_age, v.open_to_abroad_bound,
                   ARRAY(SELECT key FROM match_weights ORDER BY key), ARRAY(SELECT points FROM match_weights ORDER BY key),
                   ARRAY(SELECT worker_id FROM referrals WHERE vacancy_id = v.id AND (\(exceptReferral)::bigint IS NULL OR id <> \(exceptReferral)::bigint)),
                   ARRAY(SELECT DISTINCT worker_id FROM \(unescaped: CandidateIndex.changesSince) AND worker_id IS NOT NULL),
                   EXISTS (SELECT 1 FROM \(unescaped: CandidateIndex.changesSince) AND worker_id IS NULL)
            FROM vacancies v LEFT JOIN wards_2025 wd ON wd.ward_code = v.ward_code
            CROSS JOIN (SELECT \(snapshot)::text AS snapshot, \(xmin)::text AS xmin) c
            WHERE v.id = \(vacancyID)
            """,
            logger: logger
        )
        guard
            let (occupation, lat, lon, minAge, maxAge, abroad, keys, points, referred, changed, anyone) =
                try await rows.decode((String, Double?, Double?, Int?, Int?, Bool, [String], [Int], [Int64], [Int64], Bool).self).first(where: { _ in
                    true
                })
        else { return nil }
        let vacancy = MatchingVacancy(
            id: vacancyID,
            occupation: occupation,
            lat: lat,
            lon: lon,
            minAge: minAge,
            maxAge: maxAge,
            openToAbroadBound: abroad
        )
        return (vacancy, MatchWeightsRepository.weights(Array(zip(keys, points))), Set(referred), copy == nil || anyone ? nil : Set(changed))
    }

    /// Names and explained scores for ranked workers (names are read only for them).
    private func explain(
        _ ranked: [(MatchingWorker, WorkerTable.Ranked)],
        vacancy: MatchingVacancy,
        today: LocalDate,
        weights: MatchWeights
    ) async throws -> [Candidate] {
        guard !ranked.isEmpty else { return [] }
        let ids = ranked.map(\.0.id)
        var names: [Int64: String] = [:]
        for try await (id, name) in try await self.connection.query("SELECT id, full_name FROM workers WHERE id = ANY(\(ids))", logger: self.logger)
            .decode((Int64, String).self)
        { names[id] = name }
        return ranked.map { worker, rank in
            Candidate(
                workerID: worker.id,
                fullName: names[worker.id] ?? "",
                householdStatus: worker.status,
                distanceKm: rank.distanceKm,
                score: CandidateScorer.score(worker.facts(for: vacancy, distanceKm: rank.distanceKm, today: today), weights: weights)
            )
        }
    }

    /// Why `workerID` is not eligible for `vacancyID` (the first rule it fails), or nil if eligible.
    func whyNot(workerID: Int64, vacancyID: Int64, exceptReferral: Int64? = nil, today: LocalDate = MatchingClock.today()) async throws -> String? {
        let rows = try await self.connection.query(
            """
            SELECT w.job_seeking_status, w.merged_into IS NOT NULL OR w.anonymised_at IS NOT NULL,
                   EXISTS (SELECT 1 FROM worker_consents k WHERE k.worker_id = w.id AND k.purpose = 'referral' AND k.withdrawn_at IS NULL),
                   EXISTS (SELECT 1 FROM referrals r WHERE r.vacancy_id = v.id AND r.worker_id = w.id
                           AND (\(exceptReferral)::bigint IS NULL OR r.id <> \(exceptReferral)::bigint)),
                   w.birth_date - DATE '1970-01-01', v.min_age, v.max_age
            FROM workers w, vacancies v WHERE w.id = \(workerID) AND v.id = \(vacancyID)
            """,
            logger: self.logger
        )
        guard
            let (status, gone, consented, referred, birth, minAge, maxAge) =
                try await rows.decode((String, Bool, Bool, Bool, Int, Int?, Int?).self).first(where: { _ in true })
        else { return "Không tìm thấy người lao động hoặc vị trí tuyển dụng." }
        if gone { return "Hồ sơ đã được gộp vào hồ sơ khác hoặc đã ẩn danh." }
        if status != "seeking" { return "Người lao động không ở trạng thái đang tìm việc." }
        if !consented { return "Người lao động chưa đồng ý (hoặc đã rút lại đồng ý) cho Trung tâm giới thiệu việc làm." }
        if referred { return "Người lao động đã được đề xuất hoặc giới thiệu cho vị trí này." }
        if !MatchingRules.AgeRange(minAge: minAge, maxAge: maxAge, today: today).allows(birthDate: LocalDate(daysSinceEpoch: birth)) {
            return "Tuổi của người lao động ngoài độ tuổi vị trí yêu cầu."
        }
        if try await self.candidates(vacancyID: vacancyID, onlyWorker: workerID, exceptReferral: exceptReferral, limit: 1, today: today).isEmpty {
            return "Người lao động đã có việc làm, đang làm việc ở nước ngoài, sắp xuất cảnh, hoặc ở ngoài phạm vi đi lại đã đăng ký."
        }
        return nil
    }
}

extension MatchingWorker {
    /// The facts `CandidateScorer` explains a score from, for one vacancy.
    func facts(for vacancy: MatchingVacancy, distanceKm: Double?, today: LocalDate) -> CandidateFacts {
        CandidateFacts(
            householdStatus: self.status,
            workerOccupations: self.occupations,
            vacancyOccupation: vacancy.occupation,
            completedTrainingOccupations: self.trainedOccupations,
            distanceKm: distanceKm,
            maxCommuteKm: self.maxCommuteKm,
            registeredOn: self.registeredOn,
            today: today,
            sex: self.female ? .female : .male,
            ethnicMinority: self.minority,
            hasDisability: self.disabled
        )
    }
}
