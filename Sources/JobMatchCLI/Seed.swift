import ArgumentParser
import Foundation
import JobMatch
import JobMatchCore

/// `jobmatch seed --workers N [--vacancies M] [--csv FILE]`: a realistic synthetic population (and
/// open vacancies, with referral consents for most workers) for trials and benchmarks; the
/// proportions and their reasons are in docs/seed.md.
struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load synthetic households, workers and vacancies of the home province (or write the workers as an import CSV)."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "How many workers.")
    var workers: Int = 0

    @Option(name: .long, help: "How many open vacancies (with employers); also gives 85% of workers a referral consent.")
    var vacancies: Int = 0

    @Option(name: .long, help: "Index of the first synthetic person (keeps CCCDs unique across runs).")
    var start: Int = 0

    @Option(name: .long, help: "Random seed: the same seed gives the same people.")
    var seed: UInt64 = 2025

    @Option(name: .long, help: "Write an import CSV to this file instead of loading the database.")
    var csv: String?

    func validate() throws {
        let limit = SyntheticPerson.maximumIndex
        guard self.workers >= 0, self.start >= 0, self.start + self.workers <= limit else {
            throw ValidationError("--workers must be at least 0 and --start + --workers at most \(limit) (CCCDs stay unique up to there)")
        }
        guard (0...100_000).contains(self.vacancies), self.workers + self.vacancies > 0, self.csv == nil || self.vacancies == 0 else {
            throw ValidationError("--vacancies must be 0...100000, with --workers or alone, and not with --csv")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let config = try await self.database.config()
            let logger = commandLogger()
            let (count, start, seed, csv, vacancies) = (self.workers, self.start, self.seed, self.csv, self.vacancies)
            let imported = try await Database.withClients(config, logger: logger) { owner, client in
                try await Migrator(directory: config.sqlDirectory, logger: logger).migrate(owner)
                try await ReferenceDataLoader(sqlDirectory: config.sqlDirectory, logger: logger).load(owner)
                let seeder = PopulationSeeder(client: client, logger: logger)
                if let csv {
                    let text = PopulationSeeder.csv(start: start, count: count, seed: seed, wards: try await seeder.homeWards())
                    try Data(text.utf8).write(to: URL(fileURLWithPath: csv), options: .atomic)
                    return count
                }
                let workers = count > 0 ? try await seeder.seed(count: count, start: start, seed: seed) : 0
                if vacancies > 0 {
                    let added = try await VacancySeeder(client: client, logger: logger).seed(vacancies: vacancies, seed: seed)
                    print("Added \(added) synthetic open vacancies.")
                }
                return workers
            }
            print(csv.map { "Wrote \(imported) synthetic workers to \($0)." } ?? "Imported \(imported) synthetic workers.")
        }
    }
}
