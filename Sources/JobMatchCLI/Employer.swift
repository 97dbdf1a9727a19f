import ArgumentParser
import JobMatch

/// `jobmatch employer key EMPLOYER_ID [--expires YYYY-MM-DD]`, `keys EMPLOYER_ID`, `rotate-key KEY_ID`, `revoke-key KEY_ID`.
struct Employer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage employers' API keys.",
        subcommands: [Key.self, Keys.self, RotateKey.self, RevokeKey.self]
    )

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a new API key for an employer and print it once.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The employer's id.")
        var employerID: Int64

        @Option(name: .long, help: "The last day (YYYY-MM-DD, Vietnam time) the key works; no end when left out.")
        var expires: String?

        func run() async throws {
            try await reportingFailures {
                let id = self.employerID
                let expiresOn = try expiryDay(self.expires)
                let key = try await self.database.withMigratedClient { client, logger in
                    try await CredentialStore(client: client, logger: logger).issueEmployerKey(employerID: id, expiresOn: expiresOn, by: nil)
                }
                guard let key else {
                    FileHandleStderr.write("jobmatch: no employer with id \(id)\n")
                    throw ExitCode.failure
                }
                print("API key for employer \(id) (shown once, keep it safe):")
                print(key.value)
            }
        }
    }

    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an employer's API keys (prefix, created, last used, revoked, expires).")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The employer's id.")
        var employerID: Int64

        func run() async throws {
            try await reportingFailures {
                let id = self.employerID
                let keys = try await self.database.withMigratedClient { client, logger in
                    try await CredentialStore(client: client, logger: logger).employerKeys(employerID: id)
                }
                guard let keys else {
                    FileHandleStderr.write("jobmatch: no employer with id \(id)\n")
                    throw ExitCode.failure
                }
                print("id\tprefix\tcreated\tlast used\trevoked\texpires")
                for key in keys {
                    print("\(key.id)\t\(key.prefix)\t\(key.createdAt)\t\(key.lastUsedAt ?? "-")\t\(key.revokedAt ?? "-")\t\(key.expiresOn ?? "-")")
                }
            }
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Replace an API key: print a new one once; the old one stops working at once."
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The id of the key to replace (see `employer keys`).")
        var keyID: Int64

        func run() async throws {
            try await reportingFailures {
                let id = self.keyID
                let rotated = try await self.database.withMigratedClient { client, logger in
                    try await CredentialStore(client: client, logger: logger).rotateEmployerKey(keyID: id, by: nil)
                }
                guard let (employerID, key) = rotated else {
                    FileHandleStderr.write("jobmatch: no live API key with id \(id)\n")
                    throw ExitCode.failure
                }
                print("New API key for employer \(employerID) (shown once, keep it safe); key \(id) is revoked:")
                print(key.value)
            }
        }
    }

    struct RevokeKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke-key", abstract: "Revoke an API key at once.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The id of the key to revoke (see `employer keys`).")
        var keyID: Int64

        func run() async throws {
            try await reportingFailures {
                let id = self.keyID
                let employerID = try await self.database.withMigratedClient { client, logger in
                    try await CredentialStore(client: client, logger: logger).revokeEmployerKey(keyID: id, by: nil)
                }
                guard let employerID else {
                    FileHandleStderr.write("jobmatch: no API key with id \(id)\n")
                    throw ExitCode.failure
                }
                print("API key \(id) of employer \(employerID) is revoked.")
            }
        }
    }
}
