import Foundation
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// `jobmatch seed` makes the population every matching benchmark uses: its proportions must land
/// where `docs/seed.md` says, and the same seed must give the same data.
@Suite("Population seeder: documented proportions, same seed same data")
struct PopulationSeederTests {
    static let today = LocalDate(year: 2026, month: 12, day: 6)!

    /// A fresh database seeded with `workers` and `vacancies` from `seed`; returns its URL.
    static func seeded(workers: Int, vacancies: Int, seed: UInt64) async throws -> String {
        let url = try await TestCluster.url(try await TestCluster.freshDatabase())
        let added = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            let people = try await PopulationSeeder(client: client, logger: TestCluster.logger).seed(
                count: workers,
                seed: seed,
                chunk: 1_500,
                today: Self.today
            )
            return (
                people, try await VacancySeeder(client: client, logger: TestCluster.logger).seed(vacancies: vacancies, seed: seed, today: Self.today)
            )
        }
        #expect(added == (workers, vacancies))
        return url
    }

    /// One row of numbers from `sql`.
    static func numbers(_ sql: String, url: String) async throws -> [Double] {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestCluster.logger)
            var values: [Double] = []
            for try await row in rows {
                for cell in row { values.append(try cell.decode(Double.self)) }
            }
            return values
        }
    }

    @Test("4,000 workers and 300 vacancies land on the documented shares")
    func proportions() async throws {
        // setup
        let url = try await Self.seeded(workers: 4_000, vacancies: 300, seed: 11)
        // act
        let w = try await Self.numbers(
            """
            SELECT count(*)::float8,
                   avg((max_commute_km IS NOT NULL)::int)::float8,
                   avg((EXISTS (SELECT 1 FROM enrolments e WHERE e.worker_id = w.id AND e.status = 'completed' AND e.certificate_number IS NOT NULL))::int)::float8,
                   avg((ethnicity IN ('Khơ-me', 'Hoa'))::int)::float8,
                   avg((ethnicity = 'Kinh')::int)::float8,
                   avg((disability_type IS NOT NULL)::int)::float8,
                   avg((household_status_on(household_id, DATE '2026-12-06') IN ('poor', 'near_poor'))::int)::float8,
                   avg(((SELECT count(*) FROM worker_occupations o WHERE o.worker_id = w.id) = 2)::int)::float8,
                   count(DISTINCT extract(year FROM created_at AT TIME ZONE 'Asia/Ho_Chi_Minh'))::float8,
                   min(extract(year FROM created_at AT TIME ZONE 'Asia/Ho_Chi_Minh'))::float8,
                   avg((seeking_since = created_at)::int)::float8,
                   min(date_part('year', age(DATE '2026-12-06', birth_date)))::float8,
                   max(date_part('year', age(DATE '2026-12-06', birth_date)))::float8,
                   avg((sex = 'female')::int)::float8
            FROM workers w
            """,
            url: url
        )
        let occupations = try await Self.numbers(
            """
            SELECT count(DISTINCT occupation_code)::float8,
                   (SELECT count(*) FROM worker_occupations WHERE occupation_code = '9211')::float8 / count(*)::float8,
                   (SELECT min(share) FROM (SELECT count(*)::float8 / (SELECT count(*) FROM workers) AS share FROM workers
                    GROUP BY extract(year FROM created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')) y)
            FROM worker_occupations
            """,
            url: url
        )
        // The trade taught for each occupation: the closest by ISCO, else a related trade (crop labourers: rice growing).
        let own = MekongLabourProfile.supply.flatMap { item in
            CourseCatalogue.courses(for: item.code).map { (item.code, CourseCatalogue.courses[$0].occupation) }
        }
        let training = try await Self.numbers(
            """
            SELECT avg((EXISTS (SELECT 1 FROM worker_occupations o
                                JOIN unnest('{\(own.map(\.0).joined(separator: ","))}'::text[], '{\(own.map(\.1).joined(separator: ","))}'::text[]) p(worker, course)
                                  ON p.worker = o.occupation_code AND p.course = k.occupation_code
                                WHERE o.worker_id = e.worker_id))::int)::float8,
                   avg((e.completed_on = k.end_date AND k.end_date < DATE '2026-12-06')::int)::float8,
                   (SELECT count(*) FROM courses WHERE seats < (SELECT count(*) FROM enrolments x WHERE x.course_id = courses.id))::float8
            FROM enrolments e JOIN courses k ON k.id = e.course_id
            """,
            url: url
        )
        let v = try await Self.numbers(
            """
            SELECT count(*)::float8, avg(slots)::float8, avg((slots > 1)::int)::float8, max(slots)::float8,
                   avg((min_age IS NOT NULL OR max_age IS NOT NULL)::int)::float8,
                   avg((closing_date > DATE '2026-12-06')::int)::float8,
                   avg((v.ward_code = e.ward_code)::int)::float8,
                   count(DISTINCT occupation_code)::float8,
                   avg((occupation_code IN ('8153', '9329', '8160', '7511', '8156'))::int)::float8
            FROM vacancies v JOIN employers e ON e.id = v.employer_id WHERE v.status = 'open'
            """,
            url: url
        )
        // verify: workers (bounds are about four standard errors around the documented share)
        #expect(w[0] == 4_000)
        #expect((0.82...0.88).contains(w[1]), "with a commute limit: \(w[1])")
        #expect((0.20...0.28).contains(w[2]), "with a completed course: \(w[2])")
        #expect((0.02...0.06).contains(w[3]), "Khmer or Hoa: \(w[3])")
        #expect((0.92...0.97).contains(w[4]), "Kinh: \(w[4])")
        #expect((0.015...0.045).contains(w[5]), "with a disability: \(w[5])")
        #expect((0.13...0.23).contains(w[6]), "poor or near-poor household: \(w[6])")
        #expect((0.12...0.18).contains(w[7]), "two occupations: \(w[7])")
        #expect(w[8] == 5 && w[9] == 2022, "registration years: \(w[8]) from \(w[9])")
        #expect(w[10] == 1, "seeking since registration")
        #expect(w[11] >= 15 && w[12] <= 62, "ages \(w[11])-\(w[12])")
        #expect((0.40...0.60).contains(w[13]), "women: \(w[13])")
        #expect(occupations[0] >= 60, "distinct occupations: \(occupations[0])")
        #expect((0.13...0.22).contains(occupations[1]), "the commonest occupation's share: \(occupations[1])")
        #expect(occupations[2] >= 0.10, "the smallest registration year's share: \(occupations[2])")
        // verify: courses mostly in or near the worker's trade, completed on the class's last day, within the seats
        #expect((0.72...0.86).contains(training[0]), "courses in the worker's own trade: \(training[0])")
        #expect(training[1] == 1 && training[2] == 0)
        // verify: vacancies
        #expect(v[0] == 300)
        #expect((2.8...3.7).contains(v[1]) && (0.62...0.78).contains(v[2]) && v[3] <= 10, "slots: mean \(v[1]), several \(v[2]), max \(v[3])")
        #expect((0.45...0.65).contains(v[4]), "with an age range: \(v[4])")
        #expect(v[5] == 1 && v[6] == 1, "closing in the future, at the employer's ward")
        #expect(v[7] >= 30, "distinct vacancy occupations: \(v[7])")
        // Six employers at this size, the largest the factories of these trades: more than at 10,000 vacancies.
        #expect((0.35...0.80).contains(v[8]), "garments, footwear, food and seafood processing: \(v[8])")
    }

    @Test("the same seed gives the same workers, households, courses, vacancies and consents")
    func sameSeedSameData() async throws {
        // setup, act
        let first = try await Self.seeded(workers: 1_200, vacancies: 60, seed: 5)
        let second = try await Self.seeded(workers: 1_200, vacancies: 60, seed: 5)
        let digest = """
            SELECT md5(concat_ws('|',
                (SELECT string_agg(concat_ws(',', w.cccd, w.full_name, w.birth_date, w.sex, w.phone, w.ward_code, w.legacy_ward_code, w.ethnicity,
                                             w.disability_type, w.disability_severity, w.max_commute_km, w.created_at, w.seeking_since, h.household_code,
                                             household_status_on(h.id, DATE '2026-12-06'),
                                             (SELECT string_agg(o.occupation_code, ';' ORDER BY o.occupation_code) FROM worker_occupations o WHERE o.worker_id = w.id),
                                             (SELECT string_agg(k.title || k.completed, ';' ORDER BY k.title)
                                              FROM (SELECT c.title, e.completed_on::text AS completed FROM enrolments e JOIN courses c ON c.id = e.course_id
                                                    WHERE e.worker_id = w.id) k),
                                             (SELECT count(*) FROM worker_consents k WHERE k.worker_id = w.id)), E'\\n' ORDER BY w.cccd)
                 FROM workers w LEFT JOIN households h ON h.id = w.household_id),
                (SELECT string_agg(concat_ws(',', e.tax_code, e.name, e.sector, v.title, v.occupation_code, v.ward_code, v.slots, v.min_age, v.max_age,
                                             v.wage_min, v.wage_max, v.closing_date), E'\\n' ORDER BY v.id)
                 FROM vacancies v JOIN employers e ON e.id = v.employer_id)))
            """
        let digests = try await [first, second].asyncMap { url in
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
                try await client.query(PostgresQuery(unsafeSQL: digest), logger: TestCluster.logger).first(String.self)
            }
        }
        // verify
        #expect(digests[0] != nil)
        #expect(digests[0] == digests[1])
        #expect(try await rowCount("enrolments", url: first) > 100)
    }
}

extension Array where Element: Sendable {
    /// The results of `transform` on each element, one after another.
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
