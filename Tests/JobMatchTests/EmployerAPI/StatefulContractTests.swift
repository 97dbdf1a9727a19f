import Foundation
import Testing

@testable import JobMatch

/// Issue 8, item 13a: schemathesis's stateful phase over the served document, which follows the
/// document's OpenAPI `links` (create a vacancy -> read, replace, close, reopen it, list its
/// referrals; list referrals -> read one, interview, hire, reject; make a webhook -> delete it)
/// with the ids the server really returned, so that sequences of calls reach past the 404s of the
/// stateless phases. Bounded: 45 seconds of scenarios, two workers. No server error, and every
/// answer within the contract.
@Suite("Employer API contract, stateful (schemathesis links)")
struct StatefulContractTests {
    /// Hooks that make most generated bodies valid (a known occupation and ward, a closing date
    /// ahead, today's dates for steps), leaving the other fields as generated: the links start
    /// from 2xx answers, which random bodies almost never get.
    static let hooks = """
        import datetime
        import schemathesis

        @schemathesis.hook
        def map_body(ctx, body):
            if not isinstance(body, dict) or ctx.operation is None:
                return body
            path = ctx.operation.path
            if path in ("/vacancies", "/vacancies/by-reference/{reference}", "/vacancies/{vacancy_id}"):
                body.update(occupation_code="7212", ward_code="31321", closing_date="2099-01-31", title="Thợ hàn")
                for field in ("legacy_ward_code", "skills", "contact"):
                    body.pop(field, None)
                # Negative cases carry any type in any field: order only two numbers.
                for low, high in (("wage_min", "wage_max"), ("min_age", "max_age")):
                    a, b = body.get(low), body.get(high)
                    if isinstance(a, int) and isinstance(b, int) and b < a:
                        body[high] = a
            elif path.endswith("/hire"):
                body["start_date"] = datetime.date.today().isoformat()
            elif path.endswith("/interview"):
                body["interviewed_on"] = datetime.date.today().isoformat()
            return body
        """

    @Test("the stateful phase follows the document's links with real ids: no server error, every answer within the contract")
    func statefulRun() async throws {
        let command = try await ContractTests.schemathesis()
        try await LiveServer.withServer(prefix: "jm-stateful", username: "stateful", extra: ["EMPLOYER_RATE_LIMIT_PER_MINUTE": "10000000"]) { live in
            try await self.exercise(live, command: command)
        }
    }

    func exercise(_ live: LiveServer.Running, command: String) async throws {
        let (token, home, base) = (live.token, live.home, live.base)
        let key = try await live.employerKey()
        let vacancy = try await LiveServer.http(
            "POST",
            base + "/api/v1/vacancies",
            token: key,
            json: #"{"title":"Thợ hàn","occupation_code":"7212","ward_code":"31321","slots":5,"closing_date":"2099-01-31"}"#
        )
        #expect(vacancy.code == "201")
        // Referred candidates, so that the referral links have something to start from.
        for index in 1...12 {
            let cccd = "0931901234" + (index < 10 ? "0\(index)" : "\(index)")
            let worker = try await LiveServer.http(
                "POST",
                base + "/api/staff/workers",
                token: token,
                json: """
                    {"full_name":"Trần Thị Bình","cccd":"\(cccd)","birth_date":"1990-05-01","sex":"female","ward_code":"31321",
                     "occupation_codes":["7212"],"consents":["referral"]}
                    """
            )
            let id = try worker.body.decoded(CreatedRecord.self).id
            let referral = try await LiveServer.http(
                "POST",
                base + "/api/staff/referrals",
                token: token,
                json: #"{"vacancy_id":1,"worker_id":\#(id)}"#
            )
            #expect(referral.code == "201", "\(referral.body)")
        }
        try Self.hooks.write(toFile: home + "/jobmatch_hooks.py", atomically: true, encoding: .utf8)

        let run = try await ChildProcess.run(
            [
                command, "run", base + "/api/v1/openapi.yaml", "--header", "Authorization: Bearer \(key)",
                "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance",
                "--phases", "stateful", "--max-examples", "100", "--max-time", "150", "--workers", "2", "--request-timeout", "30",
                "--seed", "20261129", "--no-color",
            ],
            environment: ["HOME": home, "SCHEMATHESIS_HOOKS": "jobmatch_hooks", "PYTHONPATH": home],
            timeout: .seconds(420)
        )
        #expect(run.status == 0, "schemathesis found problems:\n\(run.output.suffix(6000))")
        #expect(run.output.contains("No issues found"), "\(run.output.suffix(1500))")
        // The links were followed, not merely present: "API Links:    N covered / M selected".
        let covered = run.output.firstMatch(of: /API Links:\s+(\d+) covered/).flatMap { Int($0.1) } ?? 0
        #expect(covered >= 20, "links covered: \(covered)\n\(run.output.suffix(1500))")
        let scenarios = run.output.firstMatch(of: /Scenarios:\s+(\d+)/).flatMap { Int($0.1) } ?? 0
        print(
            "stateful contract: \(scenarios) scenarios, \(covered) links covered; "
                + (run.output.firstMatch(of: /\d+ generated, \d+ passed/).map { String($0.0) } ?? "")
        )
        #expect(try await LiveServer.http("GET", base + "/healthz").code == "200")
    }
}
