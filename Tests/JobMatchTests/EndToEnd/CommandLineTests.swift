import Foundation
import Testing

@testable import JobMatch

#if canImport(Glibc)
import Glibc
#endif

/// The built `jobmatch` binary, driven as an operator would: the README's run command on the
/// embedded database, the other subcommands beside it, restarts and signals.
@Suite("The jobmatch command")
struct CommandLineTests {
    let binary = ChildProcess.jobmatchBinary
    let environment = ["JOBMATCH_SQL_DIR": TestCluster.sqlDirectory, "LOG_LEVEL": "warning"]

    func temporaryHome() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("jm-cli-\(UUID().uuidString.prefix(8))").path
    }

    func http(_ method: String, _ url: String, token: String? = nil, json: String? = nil) async throws -> (code: String, body: String) {
        try await LiveServer.http(method, url, token: token, json: json)
    }

    func waitUntilHealthy(port: Int, server: ChildProcess) async throws {
        try await LiveServer.waitUntilHealthy(port: port, server: server)
    }

    @Test("serve on the embedded database; other commands work beside it; data survives a restart; signals stop it cleanly")
    func embeddedLifecycle() async throws {
        // setup
        let home = temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let port = try LiveServer.freePort()

        // act + verify: migrations before and after
        let before = try await ChildProcess.run([binary, "migrate", "--status", "--home", home], environment: environment)
        #expect(before.status == 0)
        #expect(before.output.contains("pending") && before.output.contains("0001_reference.sql"))
        let migrate = try await ChildProcess.run([binary, "migrate", "--home", home], environment: environment)
        #expect(migrate.status == 0)
        #expect(migrate.output.contains("applied 0004_vacancies_placements.sql"))
        let token =
            try await ChildProcess.run([binary, "staff", "add", "clerk", "--role", "officer", "--home", home], environment: environment)
            .output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(token.hasPrefix("jms_"))

        // the README's run command
        let server = try ChildProcess([binary, "serve", "--home", home, "--port", "\(port)"], environment: environment)
        try await waitUntilHealthy(port: port, server: server)
        #expect(try await http("GET", "http://127.0.0.1:\(port)/readyz").code == "200")
        let created = try await http(
            "POST",
            "http://127.0.0.1:\(port)/api/staff/households",
            token: token,
            json: #"{"head_name":"Nguyễn Văn An","ward_code":"31321","status":"poor","status_valid_from":"2026-01-01"}"#
        )
        #expect(created.code == "201")

        // a second command while serve runs uses the same cluster
        let file = home + "/november.csv"
        let export = try await ChildProcess.run(
            [binary, "export", "placements", "--month", "2026-11", "--out", file, "--home", home],
            environment: environment
        )
        #expect(export.status == 0)
        #expect(Array((FileManager.default.contents(atPath: file) ?? Data()).prefix(3)) == [0xEF, 0xBB, 0xBF])
        let employerKey = try await ChildProcess.run([binary, "employer", "key", "999", "--home", home], environment: environment)
        #expect(employerKey.status != 0)

        // employer keys: issue, list, rotate (the old key stops at once), revoke
        let employer = try await http(
            "POST",
            "http://127.0.0.1:\(port)/api/staff/employers",
            token: token,
            json: #"{"name":"Công ty May Hậu Giang","tax_code":"0100109106","ward_code":"31321"}"#
        )
        #expect(employer.code == "201")
        let issued = try await ChildProcess.run([binary, "employer", "key", "1", "--home", home], environment: environment)
        let firstKey = issued.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(firstKey.hasPrefix("jme_"))
        #expect(try await http("GET", "http://127.0.0.1:\(port)/api/v1/vacancies", token: firstKey).code == "200")
        let listed = try await ChildProcess.run([binary, "employer", "keys", "1", "--home", home], environment: environment)
        #expect(listed.status == 0)
        #expect(listed.output.contains(String(firstKey.prefix(12))))
        #expect(!listed.output.contains(firstKey))
        let rotated = try await ChildProcess.run([binary, "employer", "rotate-key", "1", "--home", home], environment: environment)
        let secondKey = rotated.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(rotated.status == 0 && secondKey.hasPrefix("jme_") && secondKey != firstKey)
        #expect(try await http("GET", "http://127.0.0.1:\(port)/api/v1/vacancies", token: firstKey).code == "401")
        #expect(try await http("GET", "http://127.0.0.1:\(port)/api/v1/vacancies", token: secondKey).code == "200")
        #expect(try await ChildProcess.run([binary, "employer", "revoke-key", "2", "--home", home], environment: environment).status == 0)
        #expect(try await http("GET", "http://127.0.0.1:\(port)/api/v1/vacancies", token: secondKey).code == "401")
        #expect(try await ChildProcess.run([binary, "employer", "revoke-key", "77", "--home", home], environment: environment).status != 0)

        // import: a bad row stops the file (exit 1) and is written to the error file
        let list = home + "/list.csv"
        let errors = home + "/errors.csv"
        try "Họ và tên,Ngày sinh,Giới tính,Mã xã/phường\nTrần Thị Bình,01/05/1990,Nữ,31321\nLê Văn C,31/02/1990,Nam,31321\n"
            .write(toFile: list, atomically: true, encoding: .utf8)
        let refused = try await ChildProcess.run([binary, "import", "workers", list, "--errors", errors, "--home", home], environment: environment)
        #expect(refused.status != 0)
        #expect(refused.output.contains("line 3, birth_date"))
        #expect(String(decoding: FileManager.default.contents(atPath: errors) ?? Data(), as: UTF8.self).contains("Lê Văn C"))
        let partial = try await ChildProcess.run([binary, "import", "workers", list, "--partial", "--home", home], environment: environment)
        #expect(partial.status == 0)
        #expect(partial.output.contains("imported: 1"))

        // seed and match: synthetic workers, vacancies and consents, then one batch over all open vacancies
        let seeded = try await ChildProcess.run([binary, "seed", "--workers", "300", "--vacancies", "5", "--home", home], environment: environment)
        #expect(seeded.status == 0)
        #expect(seeded.output.contains("Added 5 synthetic open vacancies."))
        #expect(try await ChildProcess.run([binary, "match", "--home", home], environment: environment).status != 0)  // --all is required
        let matched = try await ChildProcess.run([binary, "match", "--all", "--home", home], environment: environment)
        #expect(matched.status == 0)
        #expect(matched.output.contains("Batch 1:") && matched.output.contains("greedy baseline"))
        let batch = try await http("GET", "http://127.0.0.1:\(port)/api/staff/matching/batches/1", token: token)
        #expect(batch.code == "200")
        #expect(batch.body.contains(#""status":"proposed""#))
        #expect(matched.output.contains("optimality proof: holds"))
        // The figures as one line of JSON: a second batch finds every slot already held by a pending proposal.
        let json = try await ChildProcess.run([binary, "match", "--all", "--json", "--home", home], environment: environment)
        #expect(json.status == 0)
        let line = try #require(json.output.split(separator: "\n").last.map(String.init))
        let figures = try line.decoded(MatchFigures.self, snakeCase: true)
        #expect(figures.batchId == 2 && figures.proposals == 0 && figures.openSlots == 0)
        #expect(figures.certificate.optimal)
        #expect(try await ChildProcess.run([binary, "match", "--all", "--exact-seconds", "0", "--home", home], environment: environment).status != 0)

        // SIGTERM: graceful stop, then the cluster stops too
        server.signal(SIGTERM)
        #expect(try await server.wait(timeout: .seconds(30)) == 0)
        #expect(try EmbeddedPostgres(home: home, logger: TestCluster.logger).isRunning() == false)

        // restart: nothing registered is lost; SIGINT stops it too
        let again = try ChildProcess([binary, "serve", "--home", home, "--port", "\(port)"], environment: environment)
        try await waitUntilHealthy(port: port, server: again)
        let household = try await http("GET", "http://127.0.0.1:\(port)/api/staff/households/1", token: token)
        #expect(household.code == "200")
        #expect(household.body.contains("Nguyễn Văn An"))
        again.signal(SIGINT)
        #expect(try await again.wait(timeout: .seconds(30)) == 0)
        #expect(try EmbeddedPostgres(home: home, logger: TestCluster.logger).isRunning() == false)
    }

    @Test("a malformed HOME_PROVINCE or PUBLIC_BASE_URL stops serve at start, naming the setting, before any database is made")
    func invalidSettings() async throws {
        for (name, value) in [("HOME_PROVINCE", "93,Hau Giang"), ("HOME_PROVINCE", "2025:"), ("PUBLIC_BASE_URL", "ftp://letters.example")] {
            let home = temporaryHome()
            defer { try? FileManager.default.removeItem(atPath: home) }
            var environment = self.environment
            environment[name] = value
            let result = try await ChildProcess.run([binary, "serve", "--home", home], environment: environment)
            #expect(result.status != 0, "\(name)=\(value)")
            #expect(result.output.contains(name), "\(name)=\(value): \(result.output)")
            #expect(!FileManager.default.fileExists(atPath: home + "/pgdata"), "no cluster made for \(name)=\(value)")
        }
    }

    @Test("without the PostgreSQL server binaries, serve exits non-zero with one line saying what to do")
    func missingBinaries() async throws {
        let home = temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        var environment = self.environment
        environment["JOBMATCH_PG_BIN"] = "/nonexistent/bin"
        let result = try await ChildProcess.run([binary, "serve", "--home", home], environment: environment)
        #expect(result.status != 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.output.contains("apt-get install postgresql") && result.output.contains("DATABASE_URL"))
    }
}

/// `jobmatch match --json`'s one line: the figures these tests read.
private struct MatchFigures: Decodable {
    let batchId: Int
    let proposals: Int
    let openSlots: Int
    let certificate: BatchMatcher.Certificate
}
