import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

@Suite("Placement ledger: other channels with evidence, corrections by reversal, progress against an independent count")
struct PlacementLedgerTests {
    @Test("a job from a job fair is recorded with its evidence; bad input changes nothing; a reversal cancels it once, never in place")
    func recordAndReverse() async throws {
        try await withTestApp { client, tokens, url in
            let people = People(client: client, tokens: tokens)
            let worker = try await people.worker("Nguyễn Thị Hội Chợ", sex: "female")
            let valid: [String: Any] = [
                "worker_id": worker, "channel": "job_fair", "start_date": "2026-10-01", "occupation_code": "7212",
                "wage_vnd": 6_000_000, "evidence": "Phiếu đăng ký phiên giao dịch việc làm tháng 9/2026", "contract_type": "indefinite",
            ]
            for (field, bad) in [
                ("channel", "vacancy_hire"), ("start_date", "2099-01-01"), ("evidence", "  "), ("occupation_code", "0000"),
                ("wage_vnd", -1 as Any), ("worker_id", 999_999 as Any),
            ] as [(String, Any)] {
                var body = valid
                body[field] = bad
                let response = try await client.answer(Entry.self, .post, "/api/staff/placements", token: tokens.officer, body, snakeCase: true)
                #expect(response.status == .unprocessableContent, "\(field)")
                #expect(response.problem?.field == field)
            }
            #expect(try await client.json(.post, "/api/staff/placements", token: tokens.viewer, valid).status == .forbidden)
            #expect(try await rowCount("placements", url: url) == 0)

            typealias Entry = PlacementService.Entry
            let created = try await client.answer(Entry.self, .post, "/api/staff/placements", token: tokens.officer, valid, snakeCase: true)
            #expect(created.status == .created)
            #expect(try created.get().channelName == "Phiên giao dịch việc làm")
            let id = try created.get().id
            #expect(try await rowCount("workers WHERE id = \(worker) AND job_seeking_status = 'employed'", url: url) == 1)
            #expect(try await client.progress(tokens).targets["jobs_2026_2030"].map { Int($0.count) } == 1)

            let noReason = try await client.answer(Entry.self, .post, "/api/staff/placements/\(id)/reverse", token: tokens.officer, [:])
            #expect(noReason.status == .badRequest)
            #expect(noReason.problem?.field == "reason")
            let reversal = try await client.answer(
                Entry.self,
                .post,
                "/api/staff/placements/\(id)/reverse",
                token: tokens.officer,
                ["reason": "Ghi trùng"],
                snakeCase: true
            )
            #expect(reversal.status == .created)
            #expect(try reversal.get().reversesId == id)
            #expect(
                try await client.json(.post, "/api/staff/placements/\(id)/reverse", token: tokens.officer, ["reason": "Lần nữa"]).status == .conflict
            )
            #expect(
                try await client.json(
                    .post,
                    "/api/staff/placements/\(reversal.get().id)/reverse",
                    token: tokens.officer,
                    ["reason": "Hủy điều chỉnh"]
                ).status == .conflict
            )
            #expect(try await client.progress(tokens).targets["jobs_2026_2030"].map { Int($0.count) } == 0)

            let listed = try await client.answer(
                PlacementRoutes.EntryList.self,
                .get,
                "/api/staff/placements?worker_id=\(worker)",
                token: tokens.viewer,
                snakeCase: true
            ).get().placements
            #expect(listed.count == 2)
            #expect(listed[0].reversedById == (try reversal.get().id))
            #expect(listed[0].evidence == valid["evidence"] as? String)  // the original is unchanged
            #expect(try await rowCount("audit_log WHERE entity = 'placement' AND action IN ('create', 'reverse')", url: url) == 2)
        }
    }

    @Test("an admin changes a target (audited); others may not; a target must be a sensible number; progress uses the new value")
    func targets() async throws {
        try await withTestApp { client, tokens, url in
            let worker = try await insertWorker("Lê Văn Một", url: url)
            _ = try await insertPlacement(worker: worker, start: "2026-03-01", url: url)
            #expect(try await client.json(.put, "/api/staff/targets/jobs_2026_2030", token: tokens.officer, ["value": 100]).status == .forbidden)
            for (key, value) in [("jobs_2026_2030", 0), ("jobs_2026_2030", 12.5), ("trained_rate_2030", 120)] as [(String, Double)] {
                let refused = try await client.answer(
                    ProgressService.TargetList.self,
                    .put,
                    "/api/staff/targets/\(key)",
                    token: tokens.admin,
                    ["value": value]
                )
                #expect(refused.status == .unprocessableContent, "\(key) = \(value)")
                #expect(refused.problem?.field == "value", "\(key) = \(value)")
            }
            #expect(try await client.json(.put, "/api/staff/targets/no_such", token: tokens.admin, ["value": 10]).status == .notFound)
            #expect(try await rowCount("targets WHERE key = 'jobs_2026_2030' AND value = 95000", url: url) == 1)

            let changed = try await client.json(.put, "/api/staff/targets/jobs_2026_2030", token: tokens.admin, ["value": 200])
            #expect(changed.status == .ok)
            let target = try await client.progress(tokens).targets["jobs_2026_2030"]
            #expect(target?.target == 200)
            #expect(target?.percent == 0.5)
            #expect(
                try await rowCount("audit_log WHERE entity = 'target' AND before->>'value' = '95000.0' AND after->>'value' = '200.0'", url: url) == 1
            )
            let listed = try await client.answer(ProgressService.TargetList.self, .get, "/api/staff/targets", token: tokens.viewer, snakeCase: true)
                .get()
            #expect(listed.targets.count == 5)
        }
    }

    /// Six years of a random ledger from `seed`: 150 people in 60 households, job-fair, independent
    /// and self-employment entries and departures abroad, 15% reversed, every 25th person merged.
    static func randomLedger(seed: UInt64) -> String {
        """
        SELECT setseed(\(Double(seed) / 1_000_001));
        INSERT INTO households (head_name, ward_code) SELECT 'Hộ ' || g, '31321' FROM generate_series(1, 60) g;
        INSERT INTO household_statuses (household_id, status, valid_from, standard)
            SELECT id, (ARRAY['poor', 'near_poor', 'none', 'low_income'])[1 + floor(random() * 4)::int], DATE '2021-01-01', 'decree_07_2021'
            FROM households;
        INSERT INTO workers (full_name, birth_date, sex, ward_code, household_id)
            SELECT 'Người ' || g, DATE '1990-01-01', (ARRAY['male', 'female'])[1 + floor(random() * 2)::int], '31321', 1 + (g % 60)
            FROM generate_series(1, 150) g;
        INSERT INTO placements (worker_id, channel, start_date, evidence, recorded_at)
            SELECT 1 + floor(random() * 150)::int, (ARRAY['job_fair', 'independent', 'self_employment'])[1 + floor(random() * 3)::int],
                   DATE '2021-01-01' + floor(random() * 2300)::int, 'Biên bản',
                   TIMESTAMPTZ '2021-01-01 08:00+07' + random() * interval '2160 days'
            FROM generate_series(1, 400);
        WITH c AS (
            INSERT INTO overseas_contracts (worker_id, country, occupation_code, term_months, planned_departure, departure_date)
            SELECT 1 + floor(random() * 150)::int, (ARRAY['JP', 'KR', 'TW'])[1 + floor(random() * 3)::int], '8121', 36, d, d
            FROM (SELECT DATE '2021-01-01' + floor(random() * 2100)::int AS d FROM generate_series(1, 60)) s RETURNING *)
        INSERT INTO placements (worker_id, channel, start_date, overseas_contract_id, destination_country, recorded_at)
            SELECT worker_id, 'overseas_departure', departure_date, id, country, departure_date + time '10:00' FROM c;
        INSERT INTO placements (worker_id, channel, start_date, evidence, reverses_id, reason, recorded_at, overseas_contract_id, destination_country)
            SELECT worker_id, channel, start_date, evidence, id, 'Ghi nhầm', recorded_at + interval '20 days', overseas_contract_id, destination_country
            FROM placements WHERE random() < 0.15 AND recorded_at < now() - interval '30 days';
        UPDATE workers SET merged_into = id - 1, merged_at = TIMESTAMPTZ '2024-06-01 09:00+07' WHERE id % 25 = 0;
        INSERT INTO worker_merges (kept_id, merged_id, merged_at) SELECT merged_into, id, merged_at FROM workers WHERE merged_into IS NOT NULL;
        """
    }

    @Test("progress on a random ledger (merges, reversals, late recording, future starts) equals an independent SQL count")
    func matchesIndependentCount() async throws {
        try await withTestApp { client, tokens, url in
            var generator = SystemRandomNumberGenerator()
            let seed = UInt64.random(in: 1...1_000_000, using: &generator)
            // The ledger, generated in SQL from a seed (printed on failure).
            try await execute(Self.randomLedger(seed: seed), url: url)

            for asOf in ["2023-06-30", "2025-12-31", "2026-11-27"] {
                let (targets, _) = try await client.progress(tokens, asOf: asOf)
                for (key, start, end, abroad) in [
                    ("jobs_2021_2025", "2021-01-01", "2025-12-31", false), ("jobs_2026_2030", "2026-01-01", "2030-12-31", false),
                    ("abroad_2021_2025", "2021-01-01", "2025-12-31", true),
                ] {
                    // Written independently of counted_placements: window functions, the merge looked up by join.
                    let independent = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                        try await db.query(
                            PostgresQuery(
                                unsafeSQL: """
                                    WITH cutoff AS (SELECT (DATE '\(asOf)' + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS t),
                                    live AS (
                                        SELECT p.*, CASE WHEN m.kept_id IS NOT NULL AND m.merged_at < cutoff.t THEN m.kept_id ELSE p.worker_id END AS person
                                        FROM placements p CROSS JOIN cutoff LEFT JOIN worker_merges m ON m.merged_id = p.worker_id
                                        LEFT JOIN placements r ON r.reverses_id = p.id AND r.recorded_at < cutoff.t
                                        WHERE p.reverses_id IS NULL AND r.id IS NULL AND p.recorded_at < cutoff.t
                                          AND p.start_date >= DATE '\(start)' AND p.start_date <= DATE '\(end)' AND p.start_date <= DATE '\(asOf)'
                                          AND (\(abroad) = false OR p.channel = 'overseas_departure')
                                    ), ranked AS (
                                        SELECT person, start_date,
                                               row_number() OVER (PARTITION BY person ORDER BY start_date, id) AS once,
                                               row_number() OVER (PARTITION BY person, date_part('year', start_date) ORDER BY start_date, id) AS yearly
                                        FROM live
                                    )
                                    SELECT count(*) FILTER (WHERE yearly = 1)::int, count(*) FILTER (WHERE once = 1)::int,
                                           coalesce((SELECT string_agg(y::text || '=' || n::text, ',' ORDER BY y)
                                                     FROM (SELECT date_part('year', start_date)::int AS y, count(*)::int AS n
                                                           FROM ranked WHERE yearly = 1 GROUP BY 1) years), '')
                                    FROM ranked
                                    """
                            ),
                            logger: TestCluster.logger
                        ).decode((Int, Int, String).self).collect()
                    }
                    let (yearlyCount, distinctCount, perYear) = try #require(independent.first)
                    let target = try #require(targets[key])
                    // The jobs and abroad targets count on the yearly basis: the years are counted apart and add up.
                    #expect(target.basis == .yearly)
                    #expect(Int(target.count) == yearlyCount, "seed \(seed), \(key) as of \(asOf)")
                    #expect(Int(target.otherBasis.count) == distinctCount, "seed \(seed), \(key) as of \(asOf), distinct people")
                    let shownYears = target.byYear.filter { $0.count > 0 }.map { "\($0.key ?? "-")=\($0.count)" }.joined(separator: ",")
                    #expect(shownYears == perYear, "seed \(seed), \(key) as of \(asOf), by year")
                    // Months add up to each year's figure.
                    for year in target.byYear {
                        let months = target.monthly.filter { $0.month.hasPrefix(year.key ?? "?") }.reduce(Int64(0)) { $0 + $1.count }
                        #expect(months == year.count, "seed \(seed), \(key) as of \(asOf), months of \(year.key ?? "-")")
                    }
                    let expected = yearlyCount
                    let byChannel = groups(targets[key], \.byChannel).values.reduce(0, +)
                    let bySex = groups(targets[key], \.bySex).values.reduce(0, +)
                    let byDisability = groups(targets[key], \.byDisability).values.reduce(0, +)
                    let byEthnicMinority = groups(targets[key], \.byEthnicMinority).values.reduce(0, +)
                    let last = Int(targets[key]?.monthly.last?.cumulative ?? 0)
                    #expect(byChannel == expected && bySex == expected && last == expected, "seed \(seed), \(key) as of \(asOf)")
                    #expect(byDisability == expected && byEthnicMinority == expected, "seed \(seed), \(key) as of \(asOf)")
                }
            }
        }
    }
}
