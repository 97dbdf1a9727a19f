import Foundation
import PostgresNIO

/// Turns a `postgres://user:password@host:port/database?sslmode=...` URL into a client configuration.
/// `?host=/path/to/socket/dir` connects over a Unix socket instead.
enum DatabaseURL {
    /// Why a `DATABASE_URL` was refused.
    struct Invalid: Error, CustomStringConvertible {
        let reason: String
        var description: String { "DATABASE_URL is not usable: \(self.reason)" }
    }

    static func configuration(from text: String) throws -> PostgresClient.Configuration {
        guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql" else {
            throw Invalid(reason: "expected postgres://user:password@host:port/database")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let user = url.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = url.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        var database = String(url.path.drop(while: { $0 == "/" }))
        if database.isEmpty { database = user }
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            let port = url.port ?? 5432
            return .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        guard let host = url.host, !host.isEmpty else { throw Invalid(reason: "no host") }
        let tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        case let other: throw Invalid(reason: "unknown sslmode '\(other)'")
        }
        return .init(host: host, port: url.port ?? 5432, username: user, password: password, database: database, tls: tls)
    }
}
