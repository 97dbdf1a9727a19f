import Foundation
import Testing

/// The shipped deployments say what the service needs behind nginx and under least privilege.
@Suite("Deployment files")
struct DeploymentFilesTests {
    /// A file of the checkout's `deploy/`.
    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: TestCluster.repositoryRoot + "/deploy/" + path, encoding: .utf8)
    }

    /// The lines of `text` that are not comments.
    static func settings(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") }
    }

    @Test("every deployment behind nginx sets TRUST_PROXY, and every nginx sends X-Forwarded-For as $proxy_add_x_forwarded_for")
    func trustProxyBehindNginx() throws {
        #expect(Self.settings(try Self.read("jobmatch.service")).contains("Environment=TRUST_PROXY=true"))
        for compose in ["compose.yaml", "scale/compose.yaml"] {
            #expect(Self.settings(try Self.read(compose)).contains("TRUST_PROXY: \"true\""), "\(compose)")
        }
        for nginx in ["nginx.conf", "scale/nginx.conf"] {
            let lines = Self.settings(try Self.read(nginx))
            let forwarded = lines.filter { $0.hasPrefix("proxy_set_header X-Forwarded-For") }
            #expect(forwarded == ["proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"], "\(nginx)")
        }
    }

    @Test("the compose files run the service as jobmatch_service and migrate as the owner")
    func composeUsesTheServiceRole() throws {
        for compose in ["compose.yaml", "scale/compose.yaml"] {
            let lines = Self.settings(try Self.read(compose))
            #expect(lines.contains { $0.hasPrefix("DATABASE_URL: postgres://jobmatch_service:") }, "\(compose)")
            #expect(lines.contains { $0.hasPrefix("DATABASE_OWNER_URL: postgres://jobmatch:") }, "\(compose)")
        }
        let script = try Self.read("initdb/10-jobmatch-service-role.sh")
        #expect(script.contains("CREATE ROLE jobmatch_service LOGIN NOSUPERUSER"))
    }
}
