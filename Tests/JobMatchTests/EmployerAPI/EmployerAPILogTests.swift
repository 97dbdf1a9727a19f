import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import JobMatch

@Suite("Employer API: logs name the caller")
struct EmployerAPILogTests {
    @Test("the employer API's queries log through the request's logger, which names the employer, not the application's")
    func requestLogger() async throws {
        // setup: every line the service logs, down to PostgresNIO's trace of each query's rows
        let recorder = LogRecorder()
        var logger = Logger(label: "employer-api-log", factory: recorder.handler)
        logger.logLevel = .trace
        try await withTestApp(logger: logger) { client, tokens, _ in
            let employer = try await TestEmployer.make(client, tokens)
            recorder.lines.withLock { $0.removeAll() }
            // act: a create (no Idempotency-Key, so no middleware query runs with the request's logger) and a read
            let created = try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: employer.key, Sample.vacancy())
            #expect(created.status == .created)
            #expect(try await client.answer(Components.Schemas.VacancyPage.self, .get, "/api/v1/vacancies", token: employer.key).status == .ok)
            // verify: the repositories' queries logged their rows with the caller as actor
            let actor = "employer:\(employer.id)"
            let queries = recorder.lines.withLock { $0 }.filter { $0.hasPrefix("Row stream received rows") }
            #expect(queries.filter { $0.contains(actor) }.count >= 2, "\(queries.count) query lines, none naming \(actor)")
        }
    }
}
