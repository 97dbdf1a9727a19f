import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// The insert pgbench runs in `bench/employer_api.py`, as a prepared statement.
struct InsertVacancy: PostgresPreparedStatement {
    static let sql = """
        INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date, wage_min, wage_max)
        VALUES ($1, $2, '7212', '31321', 2, DATE '2099-01-31', 6500000, 9000000) RETURNING id
        """
    typealias Row = Int64
    let employerID: Int64
    let title: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(self.employerID)
        bindings.append(self.title)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int64.self) }
}

/// The body's title, the only field this floor reads.
struct VacancyBody: Decodable { let title: String }

let environment = ProcessInfo.processInfo.environment
let logger = Logger(label: "stack-floor")
var configuration = PostgresClient.Configuration(
    unixSocketPath: environment["FLOOR_SOCKET"]!, username: "jobmatch", password: nil, database: "jobmatch")
configuration.options.maximumConnections = 20  // jobmatch's default pool size
let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
let employerID = Int64(environment["FLOOR_EMPLOYER"] ?? "1")!
let router = Router()
router.post("vacancies") { request, context -> Response in
    let body = try await request.decode(as: VacancyBody.self, context: context)
    var id: Int64 = 0
    for try await row in try await client.execute(InsertVacancy(employerID: employerID, title: body.title), logger: logger) { id = row }
    return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"id\":\(id)}")))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: Int(environment["FLOOR_PORT"] ?? "8099")!)),
                      services: [client], logger: logger)
try await app.runService()
