import Foundation
import JobMatchCore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Reads the open vacancies and the upcoming job fairs into `PublicBoard` once the database answers, then every `interval`
/// (`PUBLIC_BOARD_REFRESH_SECONDS`, default 60): one query a minute, however many people read.
struct PublicBoardRefresher: Service {
    let client: PostgresClient
    let board: PublicBoard
    let logger: Logger
    var interval: Duration = .seconds(60)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var wait = Duration.milliseconds(500)
            while !Task.isCancelled {
                try? await Task.sleep(for: wait)
                do {
                    let today = LocalDate.today()
                    let vacancies = try await Self.read(self.client, today: today, logger: self.logger)
                    let fairs = try await JobFairService(client: self.client).upcoming(logger: self.logger).map { fair, employers in
                        PublicBoard.Fair(
                            day: LocalDate(fair.heldOn)!,
                            title: fair.title,
                            place: fair.place,
                            ward: fair.wardName,
                            kind: fair.kindName,
                            employers: employers
                        )
                    }
                    self.board.replace(vacancies, fairs: fairs, at: Date())
                    wait = self.interval
                } catch  where !Task.isCancelled {
                    // Not migrated yet, or the database is away: try again soon; the board keeps its copy.
                    wait = .seconds(2)
                } catch {
                    break
                }
            }
        }
    }

    /// The open vacancies with a slot left and not closed, soonest closing first (at most 2,000).
    static func read(_ client: PostgresClient, today: LocalDate, logger: Logger) async throws -> [PublicBoard.Vacancy] {
        let rows = try await client.query(
            """
            SELECT v.id, v.title, e.name, v.occupation_code, coalesce(o.title_vi, o.title_en, v.occupation_code), v.ward_code, w.ward_name,
                   v.wage_min, v.wage_max, (v.slots - v.slots_filled)::int, v.closing_date::text
            FROM vacancies v JOIN employers e ON e.id = v.employer_id JOIN wards_2025 w ON w.ward_code = v.ward_code
            LEFT JOIN occupations o ON o.code = v.occupation_code
            WHERE v.status = 'open' AND v.closing_date >= \(today.description)::date AND v.slots > v.slots_filled
            ORDER BY v.closing_date, v.id LIMIT 2000
            """,
            logger: logger
        )
        var vacancies: [PublicBoard.Vacancy] = []
        for try await (id, title, employer, code, occupation, wardCode, ward, wageMin, wageMax, left, closing) in rows.decode(
            (Int64, String, String, String, String, String, String, Int64?, Int64?, Int, String).self
        ) {
            guard let closingDate = LocalDate(closing) else { continue }
            vacancies.append(
                PublicBoard.Vacancy(
                    id: id,
                    title: title,
                    employer: employer,
                    occupationCode: code,
                    occupation: occupation,
                    wardCode: wardCode,
                    ward: ward,
                    wageMin: wageMin,
                    wageMax: wageMax,
                    slotsLeft: left,
                    closingDate: closingDate
                )
            )
        }
        return vacancies
    }
}
