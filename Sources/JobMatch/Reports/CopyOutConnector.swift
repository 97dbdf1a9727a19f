import Foundation
import PostgresNIO

/// How an export opens its libpq connection for `COPY ... TO STDOUT`: the endpoint (host and
/// port, or the Unix socket), role, password, database and TLS mode of the service's own pool,
/// taken from the same `PostgresClient.Configuration` (and, for TLS, the same `DATABASE_URL`).
public struct CopyOutConnector: Sendable {
    /// libpq connection keywords and values (`PQconnectdbParams`), never a concatenated string.
    let parameters: [(keyword: String, value: String)]

    /// `sslMode`: libpq's `sslmode` (`disable` for the embedded cluster's socket).
    public init(configuration: PostgresClient.Configuration, sslMode: String) {
        var parameters: [(keyword: String, value: String)] = []
        if let socket = configuration.unixSocketPath {
            // libpq takes the socket's directory and the port its name carries: `/dir/.s.PGSQL.5432`.
            let url = URL(fileURLWithPath: socket)
            parameters.append(("host", url.deletingLastPathComponent().path))
            if let port = url.lastPathComponent.split(separator: ".").last.flatMap({ Int($0) }) {
                parameters.append(("port", String(port)))
            }
        } else {
            parameters.append(("host", configuration.host ?? "localhost"))
            parameters.append(("port", String(configuration.port ?? 5432)))
        }
        parameters.append(("user", configuration.username))
        if let password = configuration.password { parameters.append(("password", password)) }
        let database = configuration.database ?? ""
        parameters.append(("dbname", database.isEmpty ? configuration.username : database))
        parameters.append(("sslmode", configuration.unixSocketPath == nil ? sslMode : "disable"))
        parameters.append(("connect_timeout", "5"))
        parameters.append(("application_name", "jobmatch export"))
        self.parameters = parameters
    }

    /// The connection a `DATABASE_URL` describes, read as `DatabaseURL` reads it for the pool.
    public init(databaseURL: String) throws {
        let configuration = try DatabaseURL.configuration(from: databaseURL)
        let query = URLComponents(string: databaseURL)?.queryItems ?? []
        self.init(configuration: configuration, sslMode: query.last(where: { $0.name == "sslmode" })?.value ?? "prefer")
    }
}
