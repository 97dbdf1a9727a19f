import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// Issue 22, section 5: the public vacancy board: no sign-in, no script, small pages, open
/// vacancies only, never the employer's contacts, and readers served from memory, not the database.
@Suite("Public vacancy board")
struct PublicBoardTests {
    /// Transactions committed in the test's database so far (every statement the service runs is one).
    static func commits(_ url: String) async throws -> Int64 {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            try await db.query("SELECT pg_stat_clear_snapshot()", logger: TestCluster.logger).collect()
            return try await db.query(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
                logger: TestCluster.logger
            ).first(Int64.self) ?? -1
        }
    }

    @Test(
        "anyone reads the open vacancies by ward and occupation, in a small page with no script and no contact details, without touching the database"
    )
    func board() async throws {
        try await withTestApp(configure: { $0.publicBoardRefresh = .seconds(1) }) { client, tokens, url in
            // setup: 150 open vacancies (120 in Vị Thanh, 30 elsewhere), and one closed, one past its
            // day and one with every slot filled, none of which may show
            let employer = try await TestEmployer.make(client, tokens)
            let other = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query(
                    "SELECT ward_code FROM wards_2025 WHERE ward_code <> '31321' ORDER BY ward_code LIMIT 1",
                    logger: TestCluster.logger
                )
                .first(String.self) ?? ""
            }
            try await execute(
                """
                INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date, wage_min, wage_max, contact_name, contact_phone)
                    SELECT \(employer.id), 'Thợ may số ' || g, CASE WHEN g % 2 = 0 THEN '7531' ELSE '9329' END,
                           CASE WHEN g <= 120 THEN '31321' ELSE '\(other)' END, 3, DATE '2099-01-31', 5000000, 7000000, 'Chị Liên', '0987654321'
                    FROM generate_series(1, 150) g;
                INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date, status)
                    VALUES (\(employer.id), 'Đã đóng', '7531', '31321', 1, DATE '2099-01-31', 'closed');
                INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date)
                    VALUES (\(employer.id), 'Hết hạn', '7531', '31321', 1, DATE '2020-01-31');
                INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, slots_filled, closing_date)
                    VALUES (\(employer.id), 'Đã đủ người', '7531', '31321', 1, 1, DATE '2099-01-31');
                """,
                url: url
            )
            // act: wait for the board's next reading
            let first = try await within(.seconds(60), "the board reads the vacancies") {
                while true {
                    let page = try await client.execute(uri: "/board", method: .get)
                    let html = String(buffer: page.body)
                    if html.contains("150 vị trí đang tuyển") { return page }
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            // verify: the page as a reader sees it
            let html = String(buffer: first.body)
            #expect(first.status == .ok && first.headers[.cacheControl] == "public, max-age=60")
            #expect(first.body.readableBytes < 50_000, "\(first.body.readableBytes) bytes")
            #expect(!html.lowercased().contains("<script"))
            #expect(html.contains("Thợ may số 1") && html.contains("5.000.000 - 7.000.000 ₫"))
            for hidden in ["Đã đóng", "Hết hạn", "Đã đủ người", "Chị Liên", "0987654321"] {
                #expect(!html.contains(hidden), "\(hidden)")
            }
            #expect(html.components(separatedBy: "<li>").count - 1 == PublicBoardPage.pageSize)
            let byWard = String(buffer: try await client.execute(uri: "/board?ward=\(other)", method: .get).body)
            #expect(byWard.contains("30 vị trí đang tuyển") && !byWard.contains("Thợ may số 1<"))
            let byOccupation = String(buffer: try await client.execute(uri: "/board?ward=31321&occupation=7", method: .get).body)
            #expect(byOccupation.contains("60 vị trí đang tuyển"))
            let odd = try await client.execute(uri: "/board?ward=%27%3Cscript%3E&occupation=%00%FF", method: .get)
            #expect(odd.status == .ok && String(buffer: odd.body).contains("0 vị trí đang tuyển"))

            // 300 readers add no statement to the database's: only the board's own reading once a
            // second and the service's background work go on meanwhile
            let before = try await Self.commits(url)
            let started = ContinuousClock.now
            for _ in 0..<300 { _ = try await client.execute(uri: "/board?occupation=7", method: .get) }
            let seconds = Double((ContinuousClock.now - started).components.seconds) + 1
            let added = try await Self.commits(url) - before
            #expect(added < Int64(30 * seconds), "\(added) transactions in \(seconds) s for 300 board reads")
        }
    }
}
