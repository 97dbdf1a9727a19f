import ArgumentParser
import JobMatch

/// `jobmatch migrate [--status]`.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations, or list applied and pending ones.")

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "List applied and pending migrations without applying anything.")
    var status = false

    func run() async throws {
        try await reportingFailures {
            let config = try await self.database.config()
            let logger = commandLogger()
            let migrator = Migrator(directory: config.sqlDirectory, logger: logger)
            let status = self.status
            try await Database.withClient(config, logger: logger, asOwner: true) { client in
                if status {
                    for entry in try await migrator.status(client) {
                        print("\(entry.appliedAt.map { "applied \($0)" } ?? "pending            ")  \(entry.name)")
                    }
                } else {
                    let applied = try await migrator.migrate(client)
                    try await ReferenceDataLoader(sqlDirectory: config.sqlDirectory, logger: logger).load(client)
                    print(applied.isEmpty ? "Schema is up to date." : applied.map { "applied \($0)" }.joined(separator: "\n"))
                }
            }
        }
    }
}
