import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// Runs SQL on the test database at `url` (to set up a ledger with chosen dates).
func execute(_ sql: String, url: String) async throws {
    try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
        try await client.withConnection { connection in
            for statement in SQLStatementSplitter.split(sql) {
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: TestCluster.logger)
                } catch let error as PSQLError {
                    throw TestFailure("\(statement): \(error.serverInfo?[.message] ?? String(describing: error))")
                }
            }
        }
    }
}

/// A worker and, optionally, their household's status history, inserted directly; returns the worker's id.
func insertWorker(
    _ name: String,
    sex: String = "male",
    ward: String = "31321",
    statuses: [(String, String, String?)] = [],
    url: String
) async throws -> Int {
    var sql = "WITH h AS (INSERT INTO households (head_name, ward_code) VALUES ('\(name)', '\(ward)') RETURNING id)"
    for (index, (status, from, to)) in statuses.enumerated() {
        sql +=
            ", s\(index) AS (INSERT INTO household_statuses (household_id, status, valid_from, valid_to, standard) "
            + "SELECT id, '\(status)', DATE '\(from)', \(to.map { "DATE '\($0)'" } ?? "NULL"), 'decree_07_2021' FROM h)"
    }
    sql +=
        " INSERT INTO workers (full_name, birth_date, sex, ward_code, household_id) SELECT '\(name)', DATE '1990-01-01', '\(sex)', '\(ward)', id FROM h RETURNING id"
    return try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestCluster.logger).first(Int.self)!
    }
}

/// A placement with a chosen start and recording time; returns its id.
func insertPlacement(
    worker: Int,
    channel: String = "job_fair",
    start: String,
    recorded: String = "2026-01-01 09:00+07",
    country: String? = nil,
    url: String
) async throws -> Int {
    let sql: String
    if channel == "overseas_departure" {
        sql = """
            WITH c AS (INSERT INTO overseas_contracts (worker_id, country, occupation_code, term_months, planned_departure, departure_date)
                       VALUES (\(worker), '\(country ?? "JP")', '8121', 36, DATE '\(start)', DATE '\(start)') RETURNING id)
            INSERT INTO placements (worker_id, channel, start_date, overseas_contract_id, destination_country, recorded_at)
            SELECT \(worker), 'overseas_departure', DATE '\(start)', c.id, '\(country ?? "JP")', TIMESTAMPTZ '\(recorded)' FROM c RETURNING id
            """
    } else {
        sql = """
            INSERT INTO placements (worker_id, channel, start_date, evidence, recorded_at)
            VALUES (\(worker), '\(channel)', DATE '\(start)', 'Biên bản', TIMESTAMPTZ '\(recorded)') RETURNING id
            """
    }
    return try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestCluster.logger).first(Int.self)!
    }
}

/// Reverses a placement at a chosen time.
func reversePlacement(_ id: Int, recorded: String, url: String) async throws {
    try await execute(
        """
        INSERT INTO placements (worker_id, channel, start_date, referral_id, overseas_contract_id, destination_country, evidence, reverses_id, reason, recorded_at)
        SELECT worker_id, channel, start_date, referral_id, overseas_contract_id, destination_country, evidence, id, 'Ghi nhầm', TIMESTAMPTZ '\(recorded)'
        FROM placements WHERE id = \(id)
        """,
        url: url
    )
}

extension TestClientProtocol {
    /// The progress report's targets by key, as of a day, and the whole report.
    func progress(
        _ tokens: TestTokens,
        asOf: String? = nil
    ) async throws
        -> (targets: [String: ProgressReport.TargetProgress], body: ProgressService.ProgressView)
    {
        let answer = try await self.answer(
            ProgressService.ProgressView.self,
            .get,
            "/api/staff/progress" + (asOf.map { "?as_of=\($0)" } ?? ""),
            token: tokens.viewer,
            snakeCase: true
        )
        guard answer.status == .ok else { throw TestFailure("progress: \(answer.status) \(String(describing: answer.problem))") }
        let report = try answer.get()
        return (Dictionary(uniqueKeysWithValues: report.targets.map { ($0.key, $0) }), report)
    }
}

/// `[key: count]` of a breakdown (`-` for an unknown key).
func groups(_ target: ProgressReport.TargetProgress?, _ breakdown: KeyPath<ProgressReport.TargetProgress, [ProgressReport.Group]>) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: (target?[keyPath: breakdown] ?? []).map { ($0.key ?? "-", Int($0.count)) })
}

@Suite("Counting rules (docs/counting.md), case by case")
struct CountingRulesTests {
    @Test("a person counts once per year on the yearly basis (once per period on the distinct one), in the month of their first")
    func oncePerPeriodAndYear() async throws {
        try await withTestApp { client, tokens, url in
            let many = try await insertWorker("Lê Văn Nhiều", url: url)
            for start in ["2026-02-10", "2026-06-01", "2026-10-20"] { _ = try await insertPlacement(worker: many, start: start, url: url) }
            let acrossYears = try await insertWorker("Trần Văn Hai Năm", url: url)
            _ = try await insertPlacement(worker: acrossYears, start: "2022-05-01", url: url)
            _ = try await insertPlacement(worker: acrossYears, channel: "self_employment", start: "2023-07-01", url: url)
            let acrossPeriods = try await insertWorker("Phạm Văn Hai Kỳ", url: url)
            _ = try await insertPlacement(worker: acrossPeriods, start: "2025-12-31", recorded: "2026-01-05 09:00+07", url: url)
            _ = try await insertPlacement(worker: acrossPeriods, start: "2026-02-10", url: url)

            let (targets, _) = try await client.progress(tokens)
            #expect(targets["jobs_2026_2030"].map { Int($0.count) } == 2)
            // Yearly basis (the default): the one who worked in 2022 and 2023 counts in both years.
            #expect(targets["jobs_2021_2025"].map { Int($0.count) } == 3)
            #expect(targets["jobs_2021_2025"]?.otherBasis.count == 2)
            #expect(targets["jobs_2026_2030"]?.otherBasis.count == 2)
            let monthly = try #require(targets["jobs_2026_2030"]).monthly.map { "\($0.month)=\($0.count)/\($0.cumulative)" }
            #expect(monthly == ["2026-02=2/2"])
            #expect(groups(targets["jobs_2021_2025"], \.byYear) == ["2021": 0, "2022": 1, "2023": 1, "2024": 0, "2025": 1])
            #expect(groups(targets["jobs_2026_2030"], \.byChannel) == ["job_fair": 2])
        }
    }

    @Test("the counting date is the job start or the departure; departures count toward jobs and abroad, other jobs only toward jobs")
    func countingDateAndAbroad() async throws {
        try await withTestApp { client, tokens, url in
            let leaver = try await insertWorker("Võ Văn Đi", url: url)
            _ = try await insertPlacement(
                worker: leaver,
                channel: "overseas_departure",
                start: "2025-11-15",
                recorded: "2026-02-01 09:00+07",
                country: "KR",
                url: url
            )
            let local = try await insertWorker("Đỗ Thị Ở", sex: "female", url: url)
            _ = try await insertPlacement(worker: local, start: "2025-11-20", url: url)
            let (targets, _) = try await client.progress(tokens)
            #expect(targets["abroad_2021_2025"].map { Int($0.count) } == 1)
            #expect(groups(targets["abroad_2021_2025"], \.byMarket) == ["KR": 1])
            #expect(targets["jobs_2021_2025"].map { Int($0.count) } == 2)
            #expect(groups(targets["jobs_2021_2025"], \.bySex) == ["male": 1, "female": 1])
            #expect(try #require(targets["jobs_2021_2025"]).monthly.map(\.month) == ["2025-11"])
            #expect(targets["jobs_2026_2030"].map { Int($0.count) } == 0)
        }
    }

    @Test("a reversed placement does not count from the day its reversal was recorded; before that day it did")
    func reversals() async throws {
        try await withTestApp { client, tokens, url in
            let worker = try await insertWorker("Ngô Văn Nhầm", url: url)
            let wrong = try await insertPlacement(worker: worker, start: "2026-03-01", recorded: "2026-03-02 10:00+07", url: url)
            try await reversePlacement(wrong, recorded: "2026-04-10 15:00+07", url: url)
            #expect(try await client.progress(tokens, asOf: "2026-03-01").targets["jobs_2026_2030"].map { Int($0.count) } == 0)  // not yet recorded
            #expect(try await client.progress(tokens, asOf: "2026-04-09").targets["jobs_2026_2030"].map { Int($0.count) } == 1)
            #expect(try await client.progress(tokens, asOf: "2026-04-10").targets["jobs_2026_2030"].map { Int($0.count) } == 0)
            #expect(try await client.progress(tokens).targets["jobs_2026_2030"].map { Int($0.count) } == 0)
        }
    }

    @Test("breakdowns use the household status valid on the counting date, not today's")
    func statusOnCountingDate() async throws {
        try await withTestApp { client, tokens, url in
            let escaped = try await insertWorker(
                "Mai Văn Thoát",
                statuses: [("poor", "2022-01-01", "2026-05-31"), ("none", "2026-06-01", nil)],
                url: url
            )
            _ = try await insertPlacement(worker: escaped, start: "2026-03-15", url: url)
            let later = try await insertWorker(
                "Lý Thị Sau",
                statuses: [("poor", "2022-01-01", "2026-05-31"), ("near_poor", "2026-06-01", nil)],
                url: url
            )
            _ = try await insertPlacement(worker: later, start: "2026-07-01", url: url)
            let (targets, body) = try await client.progress(tokens)
            #expect(groups(targets["jobs_2026_2030"], \.byHouseholdStatus) == ["poor": 1, "near_poor": 1])
            let households = Dictionary(uniqueKeysWithValues: body.households.map { ($0.status, $0) })
            #expect(households["near_poor"]?.households == 1)
            #expect(households["near_poor"]?.withMemberInWork == 1)
            #expect(households["poor"]?.households == 0)
        }
    }

    @Test("as of a past day the figures are exactly what they were: later entries, later merges and future starts are left out")
    func asOfReproducible() async throws {
        try await withTestApp { client, tokens, url in
            let first = try await insertWorker("Hồ Văn Một", url: url)
            let duplicate = try await insertWorker("Hồ Văn Một Trùng", url: url)
            _ = try await insertPlacement(worker: first, start: "2026-02-01", recorded: "2026-02-02 09:00+07", url: url)
            _ = try await insertPlacement(worker: duplicate, start: "2026-03-01", recorded: "2026-03-02 09:00+07", url: url)
            let late = try await insertWorker("Hồ Văn Muộn", url: url)
            _ = try await insertPlacement(worker: late, start: "2026-04-01", recorded: "2026-06-20 09:00+07", url: url)
            _ = try await insertPlacement(worker: late, start: "2027-01-05", recorded: "2026-06-20 09:00+07", url: url)
            try await execute(
                """
                UPDATE workers SET merged_into = \(first), merged_at = TIMESTAMPTZ '2026-05-01 09:00+07' WHERE id = \(duplicate);
                INSERT INTO worker_merges (kept_id, merged_id, merged_at) VALUES (\(first), \(duplicate), TIMESTAMPTZ '2026-05-01 09:00+07')
                """,
                url: url
            )

            let april = try await client.progress(tokens, asOf: "2026-04-30")
            #expect(april.targets["jobs_2026_2030"].map { Int($0.count) } == 2)  // two records, not yet known to be one person
            let may = try await client.progress(tokens, asOf: "2026-05-01")
            #expect(may.targets["jobs_2026_2030"].map { Int($0.count) } == 1)
            let now = try await client.progress(tokens)
            #expect(now.targets["jobs_2026_2030"].map { Int($0.count) } == 2)  // the late entry, recorded in June; 2027 not yet
            // The same question gives the same answer, byte for byte.
            let again = try await client.raw(.get, "/api/staff/progress?as_of=2026-04-30", token: tokens.viewer)
            let first1 = try await client.raw(.get, "/api/staff/progress?as_of=2026-04-30", token: tokens.viewer)
            #expect(again.status == .ok)
            #expect(again.body == first1.body)
            let future = try await client.answer(
                ProgressService.ProgressView.self,
                .get,
                "/api/staff/progress?as_of=2099-01-01",
                token: tokens.viewer
            )
            #expect(future.status == .unprocessableContent)
            #expect(future.problem?.field == "as_of")
            #expect(try await client.json(.get, "/api/staff/progress?as_of=hôm-qua", token: tokens.viewer).status == .unprocessableContent)
        }
    }
}
