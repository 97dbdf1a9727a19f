import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// The household of worker `worker`.
func householdOf(_ worker: Int, url: String) async throws -> Int64 {
    try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
        try await client.query("SELECT household_id FROM workers WHERE id = \(Int64(worker))", logger: TestCluster.logger).first(Int64.self)!
    }
}

/// A small hand-built history of households and placements, with every figure worked out by hand
/// in the test (docs/counting.md, "Households leaving poverty").
@Suite("Poverty reports: households leaving poverty and the poverty rate by year")
struct PovertyReportTests {
    /// The households of the history, by letter.
    struct History {
        let households: [String: Int64]
    }

    /// Eight households, all registered in ward 31321:
    /// A poor 2024-2025-08-31, near_poor to 2026-03-31, then none; placed 2025-03-01, a second member 2025-07-01.
    /// B near_poor to 2025-05-31, poor to 2025-12-31, then none; placed 2025-04-10 (near_poor -> poor is not an exit).
    /// C poor from 2024 on; placed 2025-02-01; never leaves.
    /// D poor to 2025-06-30, then nothing recorded (none); placed 2025-05-01 but reversed: not counted.
    /// E poor to 2025-03-31, then near_poor; placed only in 2024 (before the period).
    /// F none to 2025-06-30, then poor; placed 2025-03-01 while not poor.
    /// G poor to 2025-12-31, then none; placed only 2026-02-01 (after the period).
    /// H near_poor from 2025; its member's duplicate record (no household) placed 2025-05-05, merged 2025-06-01.
    static func history(url: String) async throws -> History {
        let a = try await insertWorker(
            "Nguyễn Văn An",
            statuses: [("poor", "2024-01-01", "2025-08-31"), ("near_poor", "2025-09-01", "2026-03-31"), ("none", "2026-04-01", nil)],
            url: url
        )
        _ = try await insertPlacement(worker: a, start: "2025-03-01", recorded: "2025-03-02 09:00+07", url: url)
        let b = try await insertWorker(
            "Trần Thị Bình",
            statuses: [("near_poor", "2024-01-01", "2025-05-31"), ("poor", "2025-06-01", "2025-12-31"), ("none", "2026-01-01", nil)],
            url: url
        )
        _ = try await insertPlacement(worker: b, start: "2025-04-10", recorded: "2025-04-11 09:00+07", url: url)
        let c = try await insertWorker("Lê Văn Cường", statuses: [("poor", "2024-01-01", nil)], url: url)
        _ = try await insertPlacement(worker: c, start: "2025-02-01", recorded: "2025-02-02 09:00+07", url: url)
        let d = try await insertWorker("Phạm Văn Dũng", statuses: [("poor", "2024-01-01", "2025-06-30")], url: url)
        let wrong = try await insertPlacement(worker: d, start: "2025-05-01", recorded: "2025-05-02 09:00+07", url: url)
        try await reversePlacement(wrong, recorded: "2025-05-20 09:00+07", url: url)
        let e = try await insertWorker("Hoàng Thị Em", statuses: [("poor", "2024-01-01", "2025-03-31"), ("near_poor", "2025-04-01", nil)], url: url)
        _ = try await insertPlacement(worker: e, start: "2024-11-01", recorded: "2024-11-02 09:00+07", url: url)
        let f = try await insertWorker("Võ Văn Phúc", statuses: [("none", "2024-01-01", "2025-06-30"), ("poor", "2025-07-01", nil)], url: url)
        _ = try await insertPlacement(worker: f, start: "2025-03-01", recorded: "2025-03-02 09:00+07", url: url)
        let g = try await insertWorker("Đặng Thị Giang", statuses: [("poor", "2024-01-01", "2025-12-31"), ("none", "2026-01-01", nil)], url: url)
        _ = try await insertPlacement(worker: g, start: "2026-02-01", recorded: "2026-02-02 09:00+07", url: url)
        let h = try await insertWorker("Bùi Văn Hải", statuses: [("near_poor", "2025-01-01", nil)], url: url)
        var households: [String: Int64] = [:]
        for (letter, worker) in [("A", a), ("B", b), ("C", c), ("D", d), ("E", e), ("F", f), ("G", g), ("H", h)] {
            households[letter] = try await householdOf(worker, url: url)
        }
        // A's second member, placed later in the period: A still counts once, by its first placement.
        let second = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await client.query(
                """
                INSERT INTO workers (full_name, birth_date, sex, ward_code, household_id)
                VALUES ('Nguyễn Thị An Hai', DATE '1995-01-01', 'female', '31321', \(households["A"]!)) RETURNING id
                """,
                logger: TestCluster.logger
            ).first(Int.self)!
        }
        _ = try await insertPlacement(worker: second, start: "2025-07-01", recorded: "2025-07-02 09:00+07", url: url)
        // H's member registered twice, the duplicate without a household; its placement counts for
        // the person kept, whose household is H.
        let duplicate = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await client.query(
                """
                INSERT INTO workers (full_name, birth_date, sex, ward_code) VALUES ('Bùi Văn Hải', DATE '1990-01-01', 'male', '31321') RETURNING id
                """,
                logger: TestCluster.logger
            ).first(Int.self)!
        }
        _ = try await insertPlacement(worker: duplicate, start: "2025-05-05", recorded: "2025-05-06 09:00+07", url: url)
        try await execute(
            """
            UPDATE workers SET merged_into = \(h), merged_at = TIMESTAMPTZ '2025-06-01 09:00+07' WHERE id = \(duplicate);
            INSERT INTO worker_merges (kept_id, merged_id, merged_at) VALUES (\(h), \(duplicate), TIMESTAMPTZ '2025-06-01 09:00+07')
            """,
            url: url
        )
        return History(households: households)
    }

    static func exits(_ client: some TestClientProtocol, _ token: String, _ query: String) async throws -> PovertyExitReport {
        let answer = try await client.answer(PovertyExitReport.self, .get, "/api/staff/reports/poverty-exits?" + query, token: token, snakeCase: true)
        guard answer.status == .ok else { throw TestFailure("poverty-exits: \(answer.status) \(String(describing: answer.problem))") }
        return try answer.get()
    }

    @Test("households placed while poor or near-poor, each once by its first counted placement, and when they left that status")
    func exits() async throws {
        try await withTestApp { client, tokens, url in
            let history = try await Self.history(url: url)
            let ids = history.households

            // act
            let report = try await Self.exits(client, tokens.viewer, "from=2025-01-01&to=2025-12-31&as_of=2026-06-30")

            // verify: C, A, B, H by first placement; D (reversed), E (before), F (not poor then), G (after) are not there.
            #expect(report.households.map(\.householdId) == [ids["C"]!, ids["A"]!, ids["B"]!, ids["H"]!])
            let rows = Dictionary(uniqueKeysWithValues: report.households.map { ($0.householdId, $0) })
            let a = try #require(rows[ids["A"]!])
            #expect(a.statusAtPlacement == "poor" && a.firstPlacementOn == "2025-03-01")
            // poor -> near_poor on 2025-09-01 is a step out of poverty: 184 days after 1 March.
            #expect(a.exited && a.exitedOn == "2025-09-01" && a.exitedTo == "near_poor" && a.daysToExit == 184 && a.statusOnAsOf == "none")
            let b = try #require(rows[ids["B"]!])
            // near_poor -> poor on 2025-06-01 is not an exit; -> none on 2026-01-01 is, 266 days after 10 April.
            #expect(b.statusAtPlacement == "near_poor" && b.exitedOn == "2026-01-01" && b.exitedTo == "none" && b.daysToExit == 266)
            let c = try #require(rows[ids["C"]!])
            #expect(c.statusAtPlacement == "poor" && !c.exited && c.exitedOn == nil && c.daysToExit == nil && c.statusOnAsOf == "poor")
            let h = try #require(rows[ids["H"]!])
            #expect(h.statusAtPlacement == "near_poor" && h.firstPlacementOn == "2025-05-05" && !h.exited)
            #expect(report.households.allSatisfy { $0.wardCode == "31321" && !$0.wardName.isEmpty })

            // Totals: poor A, C (1 exited, 184 days); near-poor B, H (1 exited, 266 days); all 4, 2, median (184 + 266) / 2.
            let totals = Dictionary(uniqueKeysWithValues: report.totals.map { ($0.status, $0) })
            #expect(report.totals.map(\.status) == ["poor", "near_poor", "all"])
            #expect(
                totals["poor"].map { [$0.placed, $0.exited] } == [2, 1] && totals["poor"]?.shareExitedPercent == 50
                    && totals["poor"]?.medianDaysToExit == 184
            )
            #expect(totals["near_poor"].map { [$0.placed, $0.exited] } == [2, 1] && totals["near_poor"]?.medianDaysToExit == 266)
            #expect(
                totals["all"].map { [$0.placed, $0.exited] } == [4, 2] && totals["all"]?.shareExitedPercent == 50
                    && totals["all"]?.medianDaysToExit == 225
            )

            // As known at the end of 2025, B's exit had not happened yet.
            let then = try await Self.exits(client, tokens.officer, "from=2025-01-01&to=2025-12-31&as_of=2025-12-31")
            let bThen = try #require(then.households.first { $0.householdId == ids["B"]! })
            #expect(!bThen.exited && bThen.statusOnAsOf == "poor")
            #expect(then.totals.last.map { [$0.placed, $0.exited] } == [4, 1] && then.totals.last?.medianDaysToExit == 184)

            // No names or addresses in the answer, and the read is on record.
            let raw = String(
                buffer: try await client.execute(
                    uri: "/api/staff/reports/poverty-exits?from=2025-01-01&to=2025-12-31&as_of=2026-06-30",
                    method: .get,
                    headers: [.authorization: "Bearer \(tokens.admin)"]
                ).body
            )
            #expect(!raw.contains("Nguyễn") && !raw.contains("Trần") && raw.contains("\"first_placement_on\""))
            let audited = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query(
                    "SELECT count(*)::int FROM audit_log WHERE entity = 'poverty_exits' AND action = 'report'",
                    logger: TestCluster.logger
                )
                .first(Int.self)
            }
            #expect(audited == 3)
        }
    }

    @Test("the poor and near-poor shares of registered households on 31 December, each year's change in points against the plan's -1")
    func rate() async throws {
        try await withTestApp { client, tokens, url in
            _ = try await Self.history(url: url)

            // act
            let answer = try await client.answer(
                PovertyRateReport.self,
                .get,
                "/api/staff/reports/poverty-rate?from_year=2024&to_year=2025",
                token: tokens.viewer,
                snakeCase: true
            )
            let report = try answer.get()

            // verify: 8 households. 31/12/2023: none recorded yet (0%). 31/12/2024: poor A, C, D, E, G = 5
            // (62.5%), near-poor B (12.5%). 31/12/2025: poor B, C, F, G = 4 (50%), near-poor A, E, H = 3 (37.5%);
            // D has nothing recorded after 30/06/2025 (none).
            #expect(report.targetChangePoints == -1 && report.measures == "registered_households")
            #expect(report.byYear.map(\.year) == [2024, 2025])
            let (y2024, y2025) = (report.byYear[0], report.byYear[1])
            #expect(y2024.referenceDay == "2024-12-31" && y2024.households == 8 && y2024.poor == 5 && y2024.nearPoor == 1)
            #expect(y2024.poorPercent == 62.5 && y2024.nearPoorPercent == 12.5 && y2024.poorChangePoints == 62.5 && y2024.meetsTarget == false)
            #expect(y2025.households == 8 && y2025.poor == 4 && y2025.nearPoor == 3 && y2025.poorPercent == 50 && y2025.nearPoorPercent == 37.5)
            #expect(y2025.poorChangePoints == -12.5 && y2025.nearPoorChangePoints == 25 && y2025.meetsTarget == true)

            // The same figures as household_status_on gives, household by household.
            let byFunction = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query(
                    """
                    SELECT count(*) FILTER (WHERE household_status_on(id, DATE '2024-12-31') = 'poor'),
                           count(*) FILTER (WHERE household_status_on(id, DATE '2025-12-31') = 'poor'),
                           count(*) FILTER (WHERE household_status_on(id, DATE '2025-12-31') = 'near_poor')
                    FROM households
                    """,
                    logger: TestCluster.logger
                ).decode((Int64, Int64, Int64).self).collect().first
            }
            #expect(byFunction.map { [$0.0, $0.1, $0.2] } == [y2024.poor, y2025.poor, y2025.nearPoor])

            // One year alone still compares with the year before it.
            let one = try await client.answer(
                PovertyRateReport.self,
                .get,
                "/api/staff/reports/poverty-rate?from_year=2025&to_year=2025&as_of=2026-06-30",
                token: tokens.officer,
                snakeCase: true
            ).get()
            #expect(one.byYear.count == 1 && one.byYear.first?.poorChangePoints == -12.5)
        }
    }

    @Test("bad query parameters are refused with 422 naming the field")
    func badParameters() async throws {
        try await withTestApp { client, tokens, _ in
            let cases: [(String, String)] = [
                ("/api/staff/reports/poverty-exits?to=2025-12-31", "from"),
                ("/api/staff/reports/poverty-exits?from=2025-01-01", "to"),
                ("/api/staff/reports/poverty-exits?from=2025-01-01&to=2025-02-30", "to"),
                ("/api/staff/reports/poverty-exits?from=2025-06-01&to=2025-01-01", "to"),
                ("/api/staff/reports/poverty-exits?from=2025-01-01&to=2025-12-31&as_of=2999-01-01", "as_of"),
                ("/api/staff/reports/poverty-exits?from=01/01/2025&to=2025-12-31", "from"),
                ("/api/staff/reports/poverty-rate?to_year=abcd", "to_year"),
                ("/api/staff/reports/poverty-rate?from_year=2025&to_year=2024", "to_year"),
                ("/api/staff/reports/poverty-rate?from_year=1990&to_year=2024", "from_year"),
                ("/api/staff/reports/poverty-rate?to_year=2999", "to_year"),
            ]
            for (uri, field) in cases {
                let answer = try await client.answer(PovertyRateReport.self, .get, uri, token: tokens.viewer, snakeCase: true)
                #expect(answer.status == .unprocessableContent, "\(uri): \(answer.status)")
                #expect(answer.problem?.field == field, "\(uri): \(String(describing: answer.problem))")
            }
        }
    }

    @Test("the page 'Hộ thoát nghèo' shows the households, the totals and the rate by year in Vietnamese formats")
    func page() async throws {
        try await withTestApp { client, tokens, url in
            let history = try await Self.history(url: url)
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("viewer", SignInTests.password)

            let dashboard = try await browser.get("/")
            #expect(dashboard.html.contains("href=\"/poverty\""))
            let page = try await browser.get("/poverty?from=2025-01-01&to=2025-12-31&as_of=2026-06-30&from_year=2024&to_year=2025")

            #expect(page.status == .ok)
            #expect(page.missingTemplateValues == nil)
            #expect(page.html.contains("<h1>Hộ thoát nghèo</h1>") && page.html.contains("Tỷ lệ hộ nghèo qua các năm"))
            #expect(page.html.contains("href=\"/households/\(history.households["A"]!)\"") && page.html.contains("01/09/2025"))
            for shown in ["62,5%", "-12,5", "Đạt", "225,0"] { #expect(page.html.contains(shown), "\(shown)") }
            #expect(!page.html.contains("Nguyễn Văn An"))
            let refused = try await browser.get("/poverty?from=2025-13-01")
            #expect(refused.status == .unprocessableContent)
        }
    }
}
