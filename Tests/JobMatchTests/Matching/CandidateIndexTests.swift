import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// One vacancy's candidates through the in-memory index (its best plus every worker changed since
/// its snapshot, read again) must be exactly the list the SQL ranking gives over everyone, before and
/// after every kind of change the ranking reads, and the copy is patched in place, never dropped.
@Suite("Candidate index: the same lists as SQL over everyone")
struct CandidateIndexTests {
    /// Every vacancy's lists through the index at several lengths against the SQL ranking: the same ids and points.
    private func compare(_ index: CandidateIndex?, url: String, _ label: String) async throws -> Int {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await client.withConnection { connection in
                let logger = TestCluster.logger
                let ids = try await connection.query("SELECT id FROM vacancies ORDER BY id", logger: logger).decode(Int64.self).collect()
                var compared = 0
                for id in ids {
                    for limit in [1, 5, 20] {
                        let sql = try await SQLRanking.candidates(vacancyID: id, limit: limit, on: connection)
                        let indexed = try await CandidateFinder(connection: connection, logger: logger, index: index).candidates(
                            vacancyID: id,
                            limit: limit
                        )
                        #expect(indexed.map(\.workerID) == sql.map(\.id), "\(label): vacancy \(id), limit \(limit)")
                        #expect(indexed.map(\.score.total) == sql.map(\.points), "\(label): vacancy \(id), limit \(limit)")
                        compared += sql.count
                    }
                }
                return compared
            }
        }
    }

    @Test("exact before and after changes to workers, consents, placements, statuses, occupations, training, contracts, referrals, wards, courses")
    func exactAcrossChanges() async throws {
        try await withTestApp { _, _, url in
            try await MatchingVariety.seed(url: url)
            let index = CandidateIndex()
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                index.install(try await CandidateIndex.read(today: .today(), client: client, logger: TestCluster.logger))
            }
            #expect(index.copy!.table.aliveCount > 100)
            #expect(try await self.compare(index, url: url, "as read") > 300)
            #expect(try await self.compare(nil, url: url, "without an index") > 300)
            #expect(index.served.fromCopy == 36 && index.served.byReading == 0)

            // Each change aims at the people at the top of the lists, where a stale copy would show.
            try await execute(
                """
                CREATE TEMP TABLE tops AS
                SELECT DISTINCT ON (v.id) v.id AS vacancy_id, w.id AS worker_id, w.household_id
                FROM vacancies v JOIN worker_occupations o ON left(o.occupation_code, 3) = left(v.occupation_code, 3)
                JOIN workers w ON w.id = o.worker_id
                JOIN worker_consents k ON k.worker_id = w.id AND k.purpose = 'referral' AND k.withdrawn_at IS NULL
                WHERE w.job_seeking_status = 'seeking' ORDER BY v.id, w.id;
                UPDATE worker_consents SET withdrawn_at = now() WHERE worker_id IN (SELECT worker_id FROM tops WHERE vacancy_id % 6 = 1);
                INSERT INTO placements (worker_id, channel, start_date, evidence)
                SELECT worker_id, 'self_employment', CURRENT_DATE, 'Tự tạo việc làm' FROM tops WHERE vacancy_id % 6 = 2;
                INSERT INTO household_statuses (household_id, status, valid_from, standard)
                SELECT DISTINCT household_id, 'poor', CURRENT_DATE - 1, 'decree_351_2025' FROM workers
                WHERE household_id IS NOT NULL AND id % 31 = 0
                  AND NOT EXISTS (SELECT 1 FROM household_statuses s WHERE s.household_id = workers.household_id AND s.valid_to IS NULL);
                INSERT INTO referrals (vacancy_id, worker_id, status, score, score_parts)
                SELECT vacancy_id, worker_id, 'proposed', 0, '[]'::jsonb FROM tops WHERE vacancy_id % 6 = 3 ON CONFLICT DO NOTHING;
                INSERT INTO worker_occupations (worker_id, occupation_code)
                SELECT w.id, (SELECT occupation_code FROM vacancies ORDER BY id LIMIT 1) FROM workers w WHERE w.id % 37 = 0
                ON CONFLICT DO NOTHING;
                UPDATE enrolments SET status = 'dropped', completed_on = NULL, certificate_number = NULL WHERE worker_id % 10 = 5;
                INSERT INTO overseas_contracts (worker_id, country, occupation_code, term_months, planned_departure, departure_date)
                SELECT worker_id, 'TW', '8121', 24, CURRENT_DATE - 10, CURRENT_DATE - 10 FROM tops WHERE vacancy_id % 6 = 4;
                UPDATE workers SET job_seeking_status = 'not_seeking' WHERE id IN (SELECT worker_id FROM tops WHERE vacancy_id % 6 = 5);
                UPDATE workers SET max_commute_km = 1 WHERE id IN (SELECT worker_id FROM tops WHERE vacancy_id % 6 = 0);
                """,
                url: url
            )
            // A newcomer from a poor household in the first vacancy's trade, next to it.
            try await execute(
                """
                WITH h AS (INSERT INTO households (head_name, ward_code) SELECT 'Lò Văn Mới', ward_code FROM vacancies ORDER BY id LIMIT 1 RETURNING id, ward_code),
                     s AS (INSERT INTO household_statuses (household_id, status, valid_from, standard) SELECT id, 'poor', DATE '2025-01-01', 'decree_351_2025' FROM h),
                     w AS (INSERT INTO workers (full_name, birth_date, sex, ward_code, household_id) SELECT 'Lò Văn Mới', DATE '1995-05-05', 'female', ward_code, id FROM h RETURNING id),
                     o AS (INSERT INTO worker_occupations (worker_id, occupation_code) SELECT w.id, (SELECT occupation_code FROM vacancies ORDER BY id LIMIT 1) FROM w)
                INSERT INTO worker_consents (worker_id, purpose, means, given_at) SELECT id, 'referral', 'paper_form', now() FROM w;
                """,
                url: url
            )
            let before = index.served
            #expect(try await self.compare(index, url: url, "after changes") > 300)
            #expect(index.served.fromCopy == before.fromCopy + 36, "the copy still serves: changed workers are read again")

            // Ward coordinates and a course's trade change many workers at once: still served, still exact.
            try await execute(
                """
                UPDATE wards_2025 SET lat = lat + 0.01 WHERE lat IS NOT NULL AND ward_code IN (SELECT ward_code FROM workers ORDER BY id DESC LIMIT 5);
                UPDATE courses SET occupation_code = (SELECT occupation_code FROM vacancies ORDER BY id DESC LIMIT 1) WHERE id % 2 = 0;
                """,
                url: url
            )
            let beforeWards = index.served
            #expect(try await self.compare(index, url: url, "after ward coordinates and course trades") > 300)
            #expect(index.served.fromCopy == beforeWards.fromCopy + 36)
            #expect(index.served.byReading == beforeWards.byReading)

            // Patched in place from those changes: the same table, and it serves the same lists with nothing left to re-read.
            let copy = try #require(index.copy)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                let refresher = CandidateIndexRefresher(client: client, index: index, logger: TestCluster.logger)
                try await refresher.refresh()
                #expect(index.copy!.table === copy.table)
                #expect(index.copy!.databaseSnapshot != copy.databaseSnapshot)
                let left = try await client.withConnection { connection in
                    try await CandidateIndex.changes(since: index.copy!, on: connection, logger: TestCluster.logger)
                }
                #expect(left?.isEmpty == true)
            }
            #expect(try await self.compare(index, url: url, "after patching") > 300)
        }
    }

    @Test("the refresher reads a copy once migrated, patches it for new weights and a new day, and the route serves from it")
    func refresherAndRoute() async throws {
        try await withTestApp { _, tokens, url in
            try await MatchingVariety.seed(url: url, workers: 200, vacancies: 4)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                let index = CandidateIndex()
                let refresher = CandidateIndexRefresher(client: client, index: index, logger: TestCluster.logger)
                try await refresher.refresh()
                let first = try #require(index.copy)
                #expect(first.table.aliveCount > 50)
                // A worker whose contract abroad ends today turns eligible with the clock: read again by every request.
                try await execute(
                    """
                    INSERT INTO overseas_contracts (worker_id, country, occupation_code, term_months, planned_departure, departure_date)
                    SELECT id, 'JP', '8121', 12, CURRENT_DATE - interval '12 months', CURRENT_DATE - interval '12 months'
                    FROM workers ORDER BY id LIMIT 1;
                    UPDATE match_weights SET points = 77 WHERE key = 'priority_woman';
                    """,
                    url: url
                )
                try await refresher.refresh()
                let second = try #require(index.copy)
                #expect(second.table === first.table)
                #expect(second.volatile.count == 1)
                #expect(second.table.weights["priority_woman"] == 77)
                #expect(try await self.compare(index, url: url, "after new weights") > 50)
                // A new day: the refresher recomputes the waiting time and reads again the workers whose status turned.
                let tomorrow = LocalDate.today().adding(days: 1)
                try await execute(
                    """
                    INSERT INTO household_statuses (household_id, status, valid_from, standard)
                    SELECT DISTINCT household_id, 'near_poor', CURRENT_DATE + 1, 'decree_351_2025' FROM workers
                    WHERE household_id IS NOT NULL AND id % 5 = 0
                      AND NOT EXISTS (SELECT 1 FROM household_statuses s WHERE s.household_id = workers.household_id AND s.valid_to IS NULL)
                    """,
                    url: url
                )
                var nextDay = refresher
                nextDay.today = { tomorrow }
                try await nextDay.refresh()
                #expect(index.copy!.factsDay == tomorrow && index.copy!.table.today == tomorrow)
                try await client.withConnection { connection in
                    for id in try await connection.query("SELECT id FROM vacancies ORDER BY id", logger: TestCluster.logger).decode(Int64.self)
                        .collect()
                    {
                        let sql = try await SQLRanking.candidates(vacancyID: id, limit: 20, today: tomorrow, on: connection)
                        let indexed = try await CandidateFinder(connection: connection, logger: TestCluster.logger, index: index)
                            .candidates(vacancyID: id, limit: 20, today: tomorrow)
                        #expect(indexed.map(\.workerID) == sql.map(\.id) && indexed.map(\.score.total) == sql.map(\.points), "vacancy \(id) tomorrow")
                    }
                }
            }
            // The route, given an index with a copy, serves from it and says what SQL says.
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                let index = CandidateIndex()
                try await CandidateIndexRefresher(client: client, index: index, logger: TestCluster.logger).refresh()
                let catalogue = ReferenceCatalogue()
                try await catalogue.load(client, logger: TestCluster.logger)
                var config = AppConfig(databaseURL: url, sqlDirectory: TestCluster.sqlDirectory)
                config.credentialCache = false
                let router = try buildRouter(
                    client: client,
                    migrator: Migrator(directory: TestCluster.sqlDirectory, logger: TestCluster.logger),
                    catalogue: catalogue,
                    credentialCache: CredentialCache(),
                    candidateIndex: index,
                    renderer: try await WebRenderer.load(directory: config.webDirectory),
                    config: config,
                    logger: TestCluster.logger
                )
                let ids = try await client.query("SELECT id FROM vacancies ORDER BY id", logger: TestCluster.logger).decode(Int64.self).collect()
                try await Application(router: router).test(.router) { routed in
                    for id in ids {
                        let answer = try await routed.answer(
                            CandidateList.self,
                            .get,
                            "/api/staff/vacancies/\(id)/candidates?limit=10",
                            token: tokens.officer,
                            snakeCase: true
                        )
                        #expect(answer.status == .ok)
                        let list = try answer.get()
                        #expect(list.vacancyId == id)
                        let listed = list.candidates.map(\.workerId)
                        let sql = try await client.withConnection { connection in
                            try await SQLRanking.candidates(vacancyID: id, limit: 10, on: connection)
                        }
                        #expect(listed == sql.map(\.id), "vacancy \(id)")
                        #expect(!listed.isEmpty)
                    }
                }
                #expect(index.served.fromCopy == ids.count && index.served.byReading == 0)
            }
        }
    }
}
