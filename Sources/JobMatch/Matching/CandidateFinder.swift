import JobMatchCore
import Logging
import PostgresNIO

/// Finds the workers eligible for a vacancy and ranks them, both in one SQL statement: the hard
/// filters, then `candidate_points` (the same rule as `CandidateScorer`) for the order, so only the
/// top of the list leaves the database; each candidate's parts are then explained by `CandidateScorer`.
/// With a `CandidateIndex`, that statement ranks only a short list: the index's best for the
/// vacancy and every worker changed since its copy (the same result, without scoring everyone).
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
    func candidates(vacancyID: Int64, onlyWorker: Int64? = nil, exceptReferral: Int64? = nil, limit: Int, today: LocalDate = .today(),
                    weights fixed: MatchWeights? = nil) async throws -> [Candidate] {
        let weights: MatchWeights
        if let fixed { weights = fixed } else { weights = try await MatchWeightsRoutes.load(on: self.connection, logger: self.logger) }
        let day = today.description
        // Asked first: a second query on this connection would wait for the ranking's rows to be read.
        guard let vacancy = try await Self.vacancy(vacancyID, on: self.connection, logger: self.logger) else { return [] }
        let vacancyOccupation = vacancy.occupation
        var onlyWorkers = onlyWorker.map { [$0] }
        if onlyWorker == nil, fixed == nil, let index = self.index {
            onlyWorkers = try await self.shortList(index: index, vacancy: vacancy, exceptReferral: exceptReferral, limit: limit, today: today,
                                                   weights: weights)
        }
        // Eligible workers with what their score needs, scored by candidate_points (inlined), the
        // top `limit` kept; only for those are the occupation and training lists read, to explain.
        let rows = try await self.connection.query(
            """
            WITH v AS (
                SELECT v.id, v.occupation_code, v.min_age, v.max_age, v.open_to_abroad_bound, wd.lat, wd.lon
                FROM vacancies v LEFT JOIN wards_2025 wd ON wd.ward_code = v.ward_code WHERE v.id = \(vacancyID)
            ), c AS (
                -- OFFSET 0 keeps this a subquery, so candidate_points gets plain columns and is inlined
                -- (an expensive argument used twice in its body would stop PostgreSQL from inlining it).
                SELECT w.id, w.full_name, w.sex, w.ethnicity, w.disability_type IS NOT NULL AS disabled, w.max_commute_km, w.created_at,
                       (w.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS registered_on,
                       COALESCE(hs.status, 'none') AS status,
                       COALESCE((SELECT max(isco_shared_levels(o.occupation_code, v.occupation_code)) FROM worker_occupations o
                                 WHERE o.worker_id = w.id), 0) AS depth,
                       EXISTS (SELECT 1 FROM enrolments e JOIN courses co ON co.id = e.course_id
                               WHERE e.worker_id = w.id AND e.status = 'completed' AND isco_shared_levels(co.occupation_code, v.occupation_code) >= 3)
                           AS trained,
                       6371 * 2 * asin(sqrt(power(sin(radians(wd.lat - v.lat) / 2), 2)
                           + cos(radians(v.lat)) * cos(radians(wd.lat)) * power(sin(radians(wd.lon - v.lon) / 2), 2))) AS distance_km
                FROM v CROSS JOIN workers w LEFT JOIN wards_2025 wd ON wd.ward_code = w.ward_code
                LEFT JOIN LATERAL (SELECT s.status FROM household_statuses s
                                   WHERE s.household_id = w.household_id AND s.valid_from <= \(day)::date
                                     AND (s.valid_to IS NULL OR s.valid_to >= \(day)::date) LIMIT 1) hs ON true
                WHERE w.job_seeking_status = 'seeking' AND w.merged_into IS NULL AND w.anonymised_at IS NULL
                  AND (\(onlyWorkers)::bigint[] IS NULL OR w.id = ANY(\(onlyWorkers)::bigint[]))
                  AND (v.min_age IS NULL OR w.birth_date <= (\(day)::date - make_interval(years => v.min_age))::date)
                  AND (v.max_age IS NULL OR w.birth_date > (\(day)::date - make_interval(years => v.max_age + 1))::date)
                  AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.vacancy_id = v.id AND r.worker_id = w.id
                                  AND (\(exceptReferral)::bigint IS NULL OR r.id <> \(exceptReferral)::bigint))
                  AND \(unescaped: Self.eligibility)
                OFFSET 0
            ), top AS (
                SELECT c.*, candidate_points(status, depth, trained, distance_km, max_commute_km, registered_on, \(day)::date, sex, ethnicity,
                                             disabled, \(weights.ordered)::int[]) AS points
                FROM c
                WHERE max_commute_km IS NULL OR distance_km IS NULL OR distance_km <= max_commute_km
                ORDER BY points DESC, created_at, id
                LIMIT \(limit)
            )
            SELECT id, full_name, status,
                   ARRAY(SELECT occupation_code FROM worker_occupations o WHERE o.worker_id = top.id ORDER BY occupation_code),
                   ARRAY(SELECT co.occupation_code FROM enrolments e JOIN courses co ON co.id = e.course_id
                         WHERE e.worker_id = top.id AND e.status = 'completed' ORDER BY co.occupation_code),
                   distance_km, max_commute_km, registered_on::text, sex, ethnicity, disabled, points
            FROM top ORDER BY points DESC, created_at, id
            """, logger: self.logger)
        var result: [Candidate] = []
        for try await row in rows {
            let (id, name, status, occupations, trained, distance, maxCommute, registered, sex, ethnicity, disabled, _) =
                try row.decode((Int64, String, String, [String], [String], Double?, Int?, String, String, String?, Bool, Int).self)
            let household = HouseholdStatus(rawValue: status) ?? .none
            let facts = CandidateFacts(
                householdStatus: household, workerOccupations: occupations, vacancyOccupation: vacancyOccupation,
                completedTrainingOccupations: trained, distanceKm: distance, maxCommuteKm: maxCommute,
                registeredOn: LocalDate(registered) ?? today, today: today, sex: CandidateFacts.Sex(rawValue: sex) ?? .male,
                ethnicity: ethnicity, hasDisability: disabled)
            result.append(Candidate(workerID: id, fullName: name, householdStatus: household, distanceKm: distance,
                                    score: CandidateScorer.score(facts, weights: weights)))
        }
        return result
    }

    /// The workers to rank in SQL when the index can serve: its best `limit` for the vacancy among
    /// the workers it has right (not changed since its copy, not turning with the clock, not already
    /// referred), and every worker it may have wrong. Nil when it cannot serve (no copy yet, another
    /// day or other weights, a change that may reach anyone): everyone is ranked in SQL.
    private func shortList(index: CandidateIndex, vacancy: MatchingSnapshot.Vacancy, exceptReferral: Int64?, limit: Int, today: LocalDate,
                           weights: MatchWeights) async throws -> [Int64]? {
        guard let copy = index.copy else {
            index.countServed(fromCopy: false)
            return nil
        }
        guard copy.day == today, copy.weights == weights,
              let changed = try await index.changes(since: copy, on: self.connection, logger: self.logger)
        else {
            index.wantRebuild()
            index.countServed(fromCopy: false)
            return nil
        }
        let referred = try await self.connection.query(
            """
            SELECT worker_id FROM referrals
            WHERE vacancy_id = \(vacancy.id) AND (\(exceptReferral)::bigint IS NULL OR id <> \(exceptReferral)::bigint)
            """, logger: self.logger).decode(Int64.self).collect()
        let recheck = changed.union(copy.volatile)
        let best = index.best(in: copy, for: vacancy, limit: limit, excluding: recheck.union(referred))
        index.countServed(fromCopy: true)
        return best + recheck
    }

    /// A vacancy as the filters need it, or nil if there is none with that id.
    static func vacancy(_ id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> MatchingSnapshot.Vacancy? {
        let rows = try await connection.query(
            """
            SELECT v.occupation_code, wd.lat, wd.lon, v.min_age, v.max_age, v.open_to_abroad_bound
            FROM vacancies v LEFT JOIN wards_2025 wd ON wd.ward_code = v.ward_code WHERE v.id = \(id)
            """, logger: logger).decode((String, Double?, Double?, Int?, Int?, Bool).self).collect()
        return rows.first.map { occupation, lat, lon, minAge, maxAge, abroad in
            MatchingSnapshot.Vacancy(id: id, occupation: occupation, lat: lat, lon: lon, minAge: minAge, maxAge: maxAge, openToAbroadBound: abroad)
        }
    }

    /// The hard filters beyond status, age, commute and earlier referrals, on worker `w` and vacancy
    /// `v`: the worker agreed to be referred (and has not withdrawn it), has no placement since last
    /// seeking work, is not working abroad now, and, unless the vacancy is open to them, is not
    /// about to leave under an overseas contract.
    static let eligibility = """
        \(workerEligibility)
        AND (v.open_to_abroad_bound OR NOT \(leavingSoon))
        """

    /// The filters of `eligibility` that do not depend on the vacancy (the batch reads every
    /// worker through them once).
    static let workerEligibility = """
        EXISTS (SELECT 1 FROM worker_consents k WHERE k.worker_id = w.id AND k.purpose = 'referral' AND k.withdrawn_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM live_placements() p WHERE p.worker_id = w.id AND p.recorded_at >= w.seeking_since)
        AND NOT EXISTS (SELECT 1 FROM overseas_contracts oc WHERE oc.worker_id = w.id AND oc.early_return_date IS NULL
                        AND oc.departure_date IS NOT NULL AND oc.departure_date + make_interval(months => oc.term_months) > now())
        """

    /// Worker `w` is about to leave under an overseas contract: not departed, departure planned from today.
    static let leavingSoon = """
        EXISTS (SELECT 1 FROM overseas_contracts oc WHERE oc.worker_id = w.id AND oc.early_return_date IS NULL
                AND oc.departure_date IS NULL AND oc.planned_departure >= CURRENT_DATE)
        """

    /// Why `workerID` is not eligible for `vacancyID` (the first rule it fails), or nil if eligible.
    func whyNot(workerID: Int64, vacancyID: Int64, exceptReferral: Int64? = nil, today: LocalDate = .today()) async throws -> String? {
        let day = today.description
        let rows = try await self.connection.query(
            """
            SELECT w.job_seeking_status, w.merged_into IS NOT NULL OR w.anonymised_at IS NOT NULL,
                   EXISTS (SELECT 1 FROM worker_consents k WHERE k.worker_id = w.id AND k.purpose = 'referral' AND k.withdrawn_at IS NULL),
                   EXISTS (SELECT 1 FROM referrals r WHERE r.vacancy_id = v.id AND r.worker_id = w.id
                           AND (\(exceptReferral)::bigint IS NULL OR r.id <> \(exceptReferral)::bigint)),
                   (v.min_age IS NULL OR date_part('year', age(\(day)::date, w.birth_date)) >= v.min_age)
                   AND (v.max_age IS NULL OR date_part('year', age(\(day)::date, w.birth_date)) <= v.max_age)
            FROM workers w, vacancies v WHERE w.id = \(workerID) AND v.id = \(vacancyID)
            """, logger: self.logger)
        guard let (status, gone, consented, referred, ageOK) = try await rows.decode((String, Bool, Bool, Bool, Bool).self).first(where: { _ in true })
        else { return "Không tìm thấy người lao động hoặc vị trí tuyển dụng." }
        if gone { return "Hồ sơ đã được gộp vào hồ sơ khác hoặc đã ẩn danh." }
        if status != "seeking" { return "Người lao động không ở trạng thái đang tìm việc." }
        if !consented { return "Người lao động chưa đồng ý (hoặc đã rút lại đồng ý) cho Trung tâm giới thiệu việc làm." }
        if referred { return "Người lao động đã được đề xuất hoặc giới thiệu cho vị trí này." }
        if !ageOK { return "Tuổi của người lao động ngoài độ tuổi vị trí yêu cầu." }
        if try await self.candidates(vacancyID: vacancyID, onlyWorker: workerID, exceptReferral: exceptReferral, limit: 1, today: today).isEmpty {
            return "Người lao động đã có việc làm, đang làm việc ở nước ngoài, sắp xuất cảnh, hoặc ở ngoài phạm vi đi lại đã đăng ký."
        }
        return nil
    }
}
