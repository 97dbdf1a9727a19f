import ArgumentParser
import Foundation
import JobMatch

/// `jobmatch import workers FILE.csv [--partial] [--errors OUT.csv]`.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import data from files.", subcommands: [Workers.self])

    struct Workers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a commune's list of workers and their households (CSV, Vietnamese or English header)."
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The CSV file.")
        var file: String

        @Flag(name: .long, help: "Import the good rows even if some rows fail (default: all or nothing).")
        var partial = false

        @Option(name: .long, help: "Write the failed rows, with the reason, to this CSV file.")
        var errors: String?

        func run() async throws {
            try await reportingFailures {
                guard let data = FileManager.default.contents(atPath: self.file) else {
                    throw ValidationError("cannot read \(self.file)")
                }
                let text = String(decoding: data, as: UTF8.self)
                let partial = self.partial
                let (report, errorFile) = try await self.database.withMigratedClient { client, logger in
                    try await WorkerImporter(client: client, logger: logger).importWorkers(text, partial: partial, actor: nil)
                }
                print(
                    "Rows: \(report.totalRows), imported: \(report.imported), unchanged: \(report.unchanged), errors: \(report.errors.count)\(report.rolledBack ? " (nothing written)" : "")"
                )
                for error in report.errors.prefix(50) { print("  line \(error.line), \(error.column): \(error.message)") }
                if report.errors.count > 50 { print("  ... and \(report.errors.count - 50) more") }
                if let path = self.errors, let errorFile {
                    try Data(errorFile).write(to: URL(fileURLWithPath: path), options: .atomic)
                    print("Failed rows written to \(path).")
                }
                if report.rolledBack { throw ExitCode.failure }
            }
        }
    }
}
