import ArgumentParser
import Foundation
import JobMatch
import JobMatchCore

/// `jobmatch export placements --month YYYY-MM --out FILE.csv`.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export reports.", subcommands: [Placements.self])

    struct Placements: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write one month's placements as CSV (UTF-8 with BOM).")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .long, help: "The month, YYYY-MM.")
        var month: String

        @Option(name: .long, help: "The file to write.")
        var out: String

        func validate() throws {
            guard Month(self.month) != nil else { throw ValidationError("--month must be YYYY-MM, e.g. 2026-01") }
        }

        func run() async throws {
            try await reportingFailures {
                let config = try await self.database.config()
                let logger = commandLogger()
                let month = Month(self.month)!
                let bytes = try await Database.withClient(config, logger: logger) { client in
                    try await Migrator(directory: config.sqlDirectory, logger: logger).migrate(client)
                    return try await PlacementExports(client: client, logger: logger).monthlyCSV(month: month, actor: nil)
                }
                try Data(bytes).write(to: URL(fileURLWithPath: self.out), options: .atomic)
                print("Wrote \(self.out) (\(bytes.count) bytes).")
            }
        }
    }
}
