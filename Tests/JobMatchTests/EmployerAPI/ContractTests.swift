import Foundation
import Testing

@testable import JobMatch

/// Schemathesis (PyPI) against the live server, from the document it serves: generated and
/// mutated requests for every operation must never get a server error, and every response must
/// match the contract (status, content type, schema).
@Suite("Employer API contract (schemathesis)")
struct ContractTests {
    static let version = "4.32.5"

    /// The schemathesis command: `JOBMATCH_SCHEMATHESIS`, else a virtualenv under /tmp made on first use.
    static func schemathesis() async throws -> String {
        if let path = ProcessInfo.processInfo.environment["JOBMATCH_SCHEMATHESIS"] { return path }
        return try await PythonTools.virtualenv("schemathesis-\(version)", packages: ["schemathesis==\(version)"]) + "/bin/schemathesis"
    }

    @Test("no server error and no response outside the schema, for generated requests to every operation")
    func schemathesisRun() async throws {
        let command = try await Self.schemathesis()
        try await LiveServer.withServer(prefix: "jm-contract", username: "contract", extra: ["EMPLOYER_RATE_LIMIT_PER_MINUTE": "10000000"]) { live in
            try await self.exercise(live, command: command)
        }
    }

    func exercise(_ live: LiveServer.Running, command: String) async throws {
        let (home, base) = (live.home, live.base)
        let key = try await live.employerKey()
        // Something to find, so that reads and steps are exercised beyond 404.
        #expect(
            try await LiveServer.http(
                "POST",
                base + "/api/v1/vacancies",
                token: key,
                json: #"{"title":"Thợ hàn","occupation_code":"7212","ward_code":"31321","slots":3,"closing_date":"2099-01-31"}"#
            ).code == "201"
        )

        // One worker: with two threads, hypothesis (under Python 3.11) sometimes fails inside
        // `ast.parse` ("AST constructor recursion depth mismatch", CPython gh-106905), which is
        // schemathesis failing, not the API.
        let run = try await ChildProcess.run(
            [
                command, "run", base + "/api/v1/openapi.yaml", "--header", "Authorization: Bearer \(key)",
                "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance",
                "--max-examples", "25", "--workers", "1", "--request-timeout", "10", "--seed", "20261128", "--no-color",
            ],
            environment: ["HOME": home],
            timeout: .seconds(600)
        )
        #expect(run.status == 0, "schemathesis found problems:\n\(run.output.suffix(6000))")
        #expect(run.output.contains("16/16") || run.output.contains("Tested: 16"), "\(run.output.suffix(1500))")
    }
}
