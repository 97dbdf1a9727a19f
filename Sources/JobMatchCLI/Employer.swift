import ArgumentParser
import JobMatch

/// `jobmatch employer key EMPLOYER_ID`.
struct Employer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage employers.", subcommands: [Key.self])

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a new API key for an employer and print it once.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The employer's id.")
        var employerID: Int64

        func run() async throws {
            try await reportingFailures {
                let config = try await self.database.config()
                let logger = commandLogger()
                let id = self.employerID
                let key = try await Database.withClient(config, logger: logger) { client in
                    try await Migrator(directory: config.sqlDirectory, logger: logger).migrate(client)
                    return try await CredentialStore(client: client, logger: logger).issueEmployerKey(employerID: id, by: nil)
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
}
