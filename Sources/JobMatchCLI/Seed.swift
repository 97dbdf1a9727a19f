import ArgumentParser
import Foundation
import JobMatch

/// `jobmatch seed --workers N [--csv FILE]`: a realistic synthetic population for trials and benchmarks.
struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load synthetic households and workers of the home province (or write them as an import CSV).")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "How many workers.")
    var workers: Int

    @Option(name: .long, help: "Index of the first synthetic person (keeps CCCDs unique across runs).")
    var start: Int = 0

    @Option(name: .long, help: "Random seed: the same seed gives the same people.")
    var seed: UInt64 = 2025

    @Option(name: .long, help: "Write an import CSV to this file instead of loading the database.")
    var csv: String?

    func validate() throws {
        guard (1...999_999).contains(self.workers), self.start >= 0, self.start + self.workers < 1_000_000 else {
            throw ValidationError("--workers must be 1...999999 and --start + --workers below 1000000")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let config = try await self.database.config()
            let logger = commandLogger()
            let (count, start, seed, csv) = (self.workers, self.start, self.seed, self.csv)
            let imported = try await Database.withClient(config, logger: logger) { client in
                try await Migrator(directory: config.sqlDirectory, logger: logger).migrate(client)
                try await ReferenceDataLoader(sqlDirectory: config.sqlDirectory, logger: logger).load(client)
                let seeder = PopulationSeeder(client: client, logger: logger)
                if let csv {
                    let text = PopulationSeeder.csv(start: start, count: count, seed: seed, wards: try await seeder.homeWards())
                    try Data(text.utf8).write(to: URL(fileURLWithPath: csv), options: .atomic)
                    return count
                }
                return try await seeder.seed(count: count, start: start, seed: seed)
            }
            print(csv.map { "Wrote \(imported) synthetic workers to \($0)." } ?? "Imported \(imported) synthetic workers.")
        }
    }
}
