import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import NIOCore
import PostgresNIO
import Testing

@testable import JobMatch

/// Issue 8, item 4: many hires (staff and employer), reversals and self-employment placements for
/// the same workers, at once, on separate connections to the live server. Afterwards: no answer
/// was a 5xx or otherwise unexpected; no vacancy has more hires than slots, and its `slots_filled`
/// is exactly its live hires; the progress figures equal both an independent SQL recount (from
/// docs/counting.md) and a recount from the answers the clients received. The full 10,000-operation
/// run is `bench/concurrency.py`; this one does 2,000 operations, 32 at a time.
@Suite("Placements under concurrent hires, reversals and other-channel entries")
struct ConcurrencyTests {
    static let operations = 2_000
    static let concurrency = 32
    static let workers = 300
    static let vacancies = 30
    static let referralsPerVacancy = 12

    @Test("2,000 concurrent hires, reversals and self-employment entries: no 5xx, no overfilled slot, counts equal independent recounts")
    func hiresAndReversals() async throws {
        try await withTestApp(
            mode: .live,
            configure: { config in
                config.maxConnections = 16
                config.employerRateLimitPerMinute = 1_000_000
            }
        ) { client, tokens, url in
            let employer = try await TestEmployer.make(client, tokens)
            // Workers, vacancies with one to three slots, and twelve referred workers per vacancy (so
            // hires compete for the last slots), inserted in bulk.
            try await execute(
                """
                INSERT INTO workers (full_name, birth_date, sex, ward_code)
                    SELECT 'Người ' || g, DATE '1990-01-01', CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END, '31321'
                    FROM generate_series(1, \(Self.workers)) g;
                INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date)
                    SELECT \(employer.id), 'Thợ hàn ' || g, '7212', '31321', 1 + g % 3, DATE '2099-01-31' FROM generate_series(1, \(Self.vacancies)) g;
                INSERT INTO referrals (vacancy_id, worker_id, status, score, score_parts)
                    SELECT v.id, w.id, 'referred', 0, '[]'::jsonb
                    FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM vacancies) v
                    CROSS JOIN generate_series(0, \(Self.referralsPerVacancy - 1)) k
                    JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM workers) w
                      ON w.n = (v.n * \(Self.referralsPerVacancy) + k) % \(Self.workers);
                """,
                url: url
            )
            let seeded = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                let referrals = try await db.query("SELECT id, vacancy_id, worker_id FROM referrals ORDER BY id", logger: TestCluster.logger)
                    .decode((Int, Int, Int).self).collect()
                let workers = try await db.query("SELECT id FROM workers ORDER BY id", logger: TestCluster.logger).decode(Int.self).collect()
                let slots = try await db.query("SELECT id, slots FROM vacancies", logger: TestCluster.logger).decode((Int, Int).self).collect()
                return (referrals, workers, Dictionary(uniqueKeysWithValues: slots))
            }
            let (referrals, workerIDs, slots) = seeded
            let today = LocalDate.today()
            let oracle = Oracle(referrals: referrals.map { (id: $0.0, vacancy: $0.1, worker: $0.2) }, workers: workerIDs)

            let port = try #require(client.port)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<Self.concurrency {
                    group.addTask {
                        let connection = TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(60)))
                        connection.connect()
                        var random = SeededGenerator(seed: UInt64(lane + 1) &* 0x9E37_79B9)
                        do {
                            while await oracle.nextOperation(limit: Self.operations) != nil {
                                try await Self.operation(
                                    on: connection,
                                    random: &random,
                                    oracle: oracle,
                                    tokens: tokens,
                                    employerKey: employer.key,
                                    today: today
                                )
                            }
                        } catch {
                            try? await connection.shutdown()
                            throw error
                        }
                        try await connection.shutdown()
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - started
            let summary = await oracle.summary()
            print("concurrency: \(Self.operations) operations, \(Self.concurrency) at a time, in \(elapsed): \(summary)")
            let unexpected = await oracle.unexpected
            #expect(unexpected.isEmpty, "unexpected answers: \(unexpected.prefix(20))")

            // Every vacancy: no more live hires than slots, and slots_filled is exactly its live hires.
            let liveHires = await oracle.liveHiresByVacancy()
            let filled = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query(
                    """
                    SELECT v.id, v.slots, v.slots_filled,
                           (SELECT count(*)::int FROM placements p JOIN referrals r ON r.id = p.referral_id
                            WHERE r.vacancy_id = v.id AND p.channel = 'vacancy_hire' AND p.reverses_id IS NULL
                              AND NOT EXISTS (SELECT 1 FROM placements x WHERE x.reverses_id = p.id))
                    FROM vacancies v ORDER BY v.id
                    """,
                    logger: TestCluster.logger
                ).decode((Int, Int, Int, Int).self).collect()
            }
            for (vacancy, slotCount, slotsFilled, live) in filled {
                #expect(slotsFilled <= slotCount, "vacancy \(vacancy) overfilled")
                #expect(slotsFilled == live, "vacancy \(vacancy): slots_filled \(slotsFilled), live hires \(live)")
                #expect(
                    live == liveHires[vacancy, default: 0],
                    "vacancy \(vacancy): live hires in the database \(live), from the answers \(liveHires[vacancy, default: 0])"
                )
                #expect(slots[vacancy] == slotCount)
            }
            // A referral has at most one placement (its hire), which a hired referral has; a placement is reversed at most once.
            #expect(
                try await rowCount(
                    "(SELECT referral_id FROM placements WHERE referral_id IS NOT NULL AND reverses_id IS NULL GROUP BY referral_id HAVING count(*) > 1) x",
                    url: url
                ) == 0
            )
            #expect(
                try await rowCount(
                    "referrals r WHERE (r.status = 'hired') <> EXISTS (SELECT 1 FROM placements p WHERE p.referral_id = r.id AND p.reverses_id IS NULL)",
                    url: url
                ) == 0
            )
            #expect(
                try await rowCount(
                    "(SELECT reverses_id FROM placements WHERE reverses_id IS NOT NULL GROUP BY reverses_id HAVING count(*) > 1) x",
                    url: url
                ) == 0
            )

            // Employers' hires count once staff confirm them (rule 8): confirmed here, all at once, so
            // that every live hire the clients were told of counts.
            let awaiting = try await rowCount("placements WHERE confirmation_required AND confirmed_at IS NULL", url: url)
            #expect(awaiting > 0, "employers' hires await confirmation")
            try await execute(
                """
                UPDATE placements SET confirmed_at = now(), confirmed_by = (SELECT min(id) FROM staff_users)
                WHERE confirmation_required AND confirmed_at IS NULL
                """,
                url: url
            )
            // Progress: the service's figures, an independent SQL recount and the answers' recount agree.
            let (targets, _) = try await client.progress(tokens)
            for (key, start, end) in [("jobs_2021_2025", "2021-01-01", "2025-12-31"), ("jobs_2026_2030", "2026-01-01", "2030-12-31")] {
                let recount = try await Self.recount(start: start, end: end, asOf: today.description, url: url)
                let fromAnswers = await oracle.people(from: LocalDate(start)!, to: min(LocalDate(end)!, today))
                let count = targets[key].map { Int($0.count) }
                // The jobs targets count on the yearly basis; the distinct people stand beside it.
                #expect(count == recount.total, "\(key): service \(count ?? -1), SQL recount \(recount.total)")
                #expect(targets[key].map { Int($0.otherBasis.count) } == recount.people, "\(key): distinct people")
                #expect(fromAnswers == recount.people, "\(key): answers \(fromAnswers), SQL recount \(recount.people)")
                #expect(groups(targets[key], \.byChannel) == recount.byChannel, "\(key)")
                let years = groups(targets[key], \.byYear).filter { $0.value > 0 }
                #expect(years == recount.byYear, "\(key)")
                let monthly = (targets[key]?.monthly ?? []).reduce(into: [String: Int]()) { $0[$1.month] = Int($1.count) }
                #expect(monthly == recount.byMonth, "\(key)")
                print("concurrency: \(key) count \(count ?? -1) (SQL recount \(recount.total), from the answers \(fromAnswers))")
            }
        }
    }

    /// One random operation: a staff or employer hire, a reversal of a hire or of a self-employment
    /// entry, or a new self-employment entry, with its answer checked and recorded.
    static func operation(
        on connection: TestClient,
        random: inout SeededGenerator,
        oracle: Oracle,
        tokens: TestTokens,
        employerKey: String,
        today: LocalDate
    ) async throws {
        let starts = ["2024-03-15", "2025-06-01", "2025-12-31", "2026-01-01", "2026-07-15", today.description, today.adding(days: 30).description]
        let start = starts.randomElement(using: &random)!
        switch random.weighted([("staffHire", 33), ("employerHire", 22), ("reverseHire", 10), ("reverseOther", 8), ("selfEmployment", 27)]) {
        case "staffHire", "employerHire":
            let referral = await oracle.randomReferral(Int.random(in: 0..<Int.max, using: &random))
            let byStaff = Int.random(in: 0..<5, using: &random) < 3
            let (status, _) =
                byStaff
                ? try await Self.call(connection, .post, "/api/staff/referrals/\(referral.id)/hire", token: tokens.officer, ["start_date": start])
                : try await Self.call(
                    connection,
                    .post,
                    "/api/v1/referrals/\(referral.id)/hire",
                    token: employerKey,
                    ["start_date": start, "wage_vnd": 7_000_000]
                )
            switch status {
            case .ok: await oracle.hired(referral.id, start: LocalDate(start)!)
            case .conflict: await oracle.count("hire refused (409)")
            default: await oracle.unexpected("hire \(referral.id) by \(byStaff ? "staff" : "employer"): \(status.code)")
            }
        case "reverseHire":
            guard let referral = await oracle.randomHiredReferral(Int.random(in: 0..<Int.max, using: &random)) else {
                return await oracle.count("nothing to reverse")
            }
            let (shown, answer) = try await Self.call(connection, .get, "/api/staff/referrals/\(referral)", token: tokens.viewer)
            guard shown == .ok else { return await oracle.unexpected("read referral \(referral): \(shown.code)") }
            guard let view = try? answer.decoded(ReferralPlacement.self, snakeCase: true) else {
                return await oracle.unexpected("read referral \(referral): not a referral")
            }
            guard let placement = view.placementId else { return await oracle.count("hire already reversed") }
            let (status, _) = try await Self.call(
                connection,
                .post,
                "/api/staff/placements/\(placement)/reverse",
                token: tokens.officer,
                ["reason": "Ghi nhầm người"]
            )
            switch status {
            case .created: await oracle.reversedHire(referral)
            case .conflict: await oracle.count("reversal refused (409)")
            default: await oracle.unexpected("reverse hire placement \(placement): \(status.code)")
            }
        case "reverseOther":
            guard let placement = await oracle.randomOtherPlacement(Int.random(in: 0..<Int.max, using: &random)) else {
                return await oracle.count("nothing to reverse")
            }
            let (status, _) = try await Self.call(
                connection,
                .post,
                "/api/staff/placements/\(placement)/reverse",
                token: tokens.officer,
                ["reason": "Trùng"]
            )
            switch status {
            case .created: await oracle.reversedOther(placement)
            case .conflict: await oracle.count("reversal refused (409)")
            default: await oracle.unexpected("reverse placement \(placement): \(status.code)")
            }
        default:
            let worker = await oracle.randomWorker(Int.random(in: 0..<Int.max, using: &random))
            let selfStart = LocalDate(start)! > today ? today.description : start  // no future start on this channel
            let (status, body) = try await Self.call(
                connection,
                .post,
                "/api/staff/placements",
                token: tokens.officer,
                [
                    "worker_id": worker, "channel": "self_employment", "start_date": selfStart,
                    "evidence": "Giấy xác nhận của UBND xã",
                ]
            )
            if status == .created, let id = try? body.decoded(CreatedRecord.self).id {
                await oracle.recorded(id, worker: worker, start: LocalDate(selfStart)!)
            } else {
                await oracle.unexpected("self-employment for \(worker): \(status.code)")
            }
        }
    }

    /// A referral as `GET /referrals/{id}` gives it: the placement its hire made, if any (the rest left unread).
    struct ReferralPlacement: Decodable {
        let id: Int
        let placementId: Int?
    }

    /// Sends JSON on one connection; returns the status and the body answered (to read typed).
    static func call(
        _ connection: TestClient,
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String,
        _ body: [String: Any]? = nil
    ) async throws -> (HTTPResponse.Status, Data) {
        let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(token)"]
        let payload = try body.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) }
        let response = try await connection.execute(TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: payload))
        return (response.status, response.body.map { Data(buffer: $0) } ?? Data())
    }

    struct Recount {
        /// On the yearly basis (a person once in each year); `people` once in the period.
        var total = 0
        var people = 0
        var byChannel: [String: Int] = [:]
        var byYear: [String: Int] = [:]
        var byMonth: [String: Int] = [:]
    }

    /// The counting rules written again, without `counted_placements` or `live_placements`: live
    /// entries (not a reversal, not reversed) started in the period and by today; each person once
    /// in each year, under their first entry of that year (by start, then id), and once in the period.
    static func recount(start: String, end: String, asOf: String, url: String) async throws -> Recount {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            let rows = try await db.query(
                PostgresQuery(
                    unsafeSQL: """
                        WITH live AS (
                            SELECT p.id, p.worker_id, p.channel, p.start_date FROM placements p
                            LEFT JOIN placements r ON r.reverses_id = p.id
                            WHERE p.reverses_id IS NULL AND r.id IS NULL
                              AND p.start_date BETWEEN DATE '\(start)' AND DATE '\(end)' AND p.start_date <= DATE '\(asOf)'
                        ), first AS (
                            SELECT *, row_number() OVER (PARTITION BY worker_id, extract(year FROM start_date) ORDER BY start_date, id) AS n FROM live
                        )
                        SELECT 'total', '', count(*)::int FROM first WHERE n = 1
                        UNION ALL SELECT 'people', '', count(DISTINCT worker_id)::int FROM live
                        UNION ALL SELECT 'channel', channel, count(*)::int FROM first WHERE n = 1 GROUP BY channel
                        UNION ALL SELECT 'month', to_char(start_date, 'YYYY-MM'), count(*)::int FROM first WHERE n = 1 GROUP BY 2
                        UNION ALL SELECT 'year', extract(year FROM start_date)::int::text, count(DISTINCT worker_id)::int FROM live GROUP BY 2
                        """
                ),
                logger: TestCluster.logger
            )
            var recount = Recount()
            for try await (kind, key, count) in rows.decode((String, String, Int).self) {
                switch kind {
                case "total": recount.total = count
                case "people": recount.people = count
                case "channel": recount.byChannel[key] = count
                case "month": recount.byMonth[key] = count
                default: recount.byYear[key] = count
                }
            }
            return recount
        }
    }
}

/// What the clients were told, kept as they were told it: live hires by referral, live other
/// entries by id, counts of each kind of answer, and any answer that should not have happened.
actor Oracle {
    let referrals: [(id: Int, vacancy: Int, worker: Int)]
    let workers: [Int]
    private var issued = 0
    private var liveHires: [Int: (worker: Int, start: LocalDate)] = [:]
    private var liveOthers: [Int: (worker: Int, start: LocalDate)] = [:]
    private var tally: [String: Int] = [:]
    private(set) var unexpected: [String] = []

    init(referrals: [(id: Int, vacancy: Int, worker: Int)], workers: [Int]) {
        self.referrals = referrals
        self.workers = workers
    }

    /// The next operation's number, or nil once `limit` have been handed out.
    func nextOperation(limit: Int) -> Int? {
        guard self.issued < limit else { return nil }
        self.issued += 1
        return self.issued
    }

    /// Picks (`pick` is a random number from the caller's generator).
    func randomReferral(_ pick: Int) -> (id: Int, vacancy: Int, worker: Int) { self.referrals[pick % self.referrals.count] }
    func randomWorker(_ pick: Int) -> Int { self.workers[pick % self.workers.count] }
    func randomHiredReferral(_ pick: Int) -> Int? { Self.element(of: self.liveHires.keys.sorted(), pick) }
    func randomOtherPlacement(_ pick: Int) -> Int? { Self.element(of: self.liveOthers.keys.sorted(), pick) }
    static func element(of list: [Int], _ pick: Int) -> Int? { list.isEmpty ? nil : list[pick % list.count] }

    func hired(_ referral: Int, start: LocalDate) {
        let worker = self.referrals.first { $0.id == referral }!.worker
        if self.liveHires[referral] != nil { self.unexpected.append("referral \(referral) hired twice") }
        self.liveHires[referral] = (worker, start)
        self.count("hired")
    }

    func reversedHire(_ referral: Int) {
        if self.liveHires.removeValue(forKey: referral) == nil { self.unexpected.append("hire of referral \(referral) reversed twice") }
        self.count("hire reversed")
    }

    func recorded(_ placement: Int, worker: Int, start: LocalDate) {
        self.liveOthers[placement] = (worker, start)
        self.count("self-employment recorded")
    }

    func reversedOther(_ placement: Int) {
        if self.liveOthers.removeValue(forKey: placement) == nil { self.unexpected.append("placement \(placement) reversed twice") }
        self.count("self-employment reversed")
    }

    func count(_ kind: String) { self.tally[kind, default: 0] += 1 }
    func unexpected(_ what: String) { self.unexpected.append(what) }

    func summary() -> String { self.tally.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }

    func liveHiresByVacancy() -> [Int: Int] {
        let vacancyOf = Dictionary(uniqueKeysWithValues: self.referrals.map { ($0.id, $0.vacancy) })
        return self.liveHires.keys.reduce(into: [:]) { $0[vacancyOf[$1]!, default: 0] += 1 }
    }

    /// People with a live entry started between `from` and `to`.
    func people(from: LocalDate, to: LocalDate) -> Int {
        Set((Array(self.liveHires.values) + Array(self.liveOthers.values)).filter { $0.start >= from && $0.start <= to }.map(\.worker)).count
    }
}
