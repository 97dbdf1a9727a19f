import ArgumentParser
import Foundation
import JobMatch
import JobMatchCore
import Logging
import PostgresNIO

/// `jobmatch export placements|report ...`: the files the department and leaders receive.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export placements and reports (CSV or XLSX).",
        subcommands: [Placements.self, Report.self]
    )

    /// Options every export shares.
    struct FileOptions: ParsableArguments {
        @Option(name: .long, help: "csv or xlsx (default: from the --out file's extension, else csv).")
        var format: String?

        @Option(name: .long, help: "The file to write (replaced only once the export is complete).")
        var out: String

        func tableFormat() throws -> TableFormat {
            if let format {
                guard let parsed = TableFormat(rawValue: format) else { throw ValidationError("--format must be csv or xlsx") }
                return parsed
            }
            return self.out.lowercased().hasSuffix(".xlsx") ? .xlsx : .csv
        }
    }

    struct Placements: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the counted placements of a month (with summary and corrections) or of a plan period."
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var file: FileOptions

        @Option(name: .long, help: "The month, YYYY-MM.")
        var month: String?

        @Option(name: .long, help: "A plan period of whole years, YYYY-YYYY (e.g. 2021-2025), instead of a month.")
        var period: String?

        @Option(name: .customLong("as-of"), help: "The figures as they stood at the end of this day, YYYY-MM-DD (default: today).")
        var asOf: String?

        @Flag(name: .customLong("full-cccd"), help: "Write whole CCCD numbers (masked by default); the export is audited either way.")
        var fullCCCD = false

        func validate() throws {
            switch (self.month, self.period) {
            case (let month?, nil): guard Month(month) != nil else { throw ValidationError("--month must be YYYY-MM, e.g. 2026-01") }
            case (nil, let period?):
                guard PlacementExportSpec.years(period) != nil else { throw ValidationError("--period must be YYYY-YYYY, e.g. 2021-2025") }
            default: throw ValidationError("give either --month or --period")
            }
            if let asOf = self.asOf {
                guard let day = LocalDate(asOf) else { throw ValidationError("--as-of must be a date, YYYY-MM-DD") }
                guard day <= LocalDate.today() else { throw ValidationError("--as-of cannot be a day still to come") }
            }
            _ = try self.file.tableFormat()
        }

        func run() async throws {
            try await reportingFailures {
                let range = self.month.flatMap(Month.init).map { PlacementExportSpec.Range.month($0) } ?? PlacementExportSpec.years(self.period!)!
                let spec = PlacementExportSpec(range: range, asOf: self.asOf.flatMap { LocalDate($0) } ?? .today(), fullCCCD: self.fullCCCD)
                let format = try self.file.tableFormat()
                try await Export.write(self.file.out, database: self.database) { database, logger, sink in
                    try await PlacementExports(client: database.client, logger: logger, copy: database.copyConnector)
                        .write(spec, format: format, actor: nil, to: sink)
                }
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one of the other reports: " + TableReport.all.map(\.key).joined(separator: ", ") + "."
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var file: FileOptions

        @Argument(help: "The report's name.")
        var name: String

        func validate() throws {
            guard TableReport.named(self.name) != nil else {
                throw ValidationError("unknown report; one of: " + TableReport.all.map(\.key).joined(separator: ", "))
            }
            _ = try self.file.tableFormat()
        }

        func run() async throws {
            try await reportingFailures {
                let report = TableReport.named(self.name)!
                let format = try self.file.tableFormat()
                try await Export.write(self.file.out, database: self.database) { database, logger, sink in
                    try await TableReports(client: database.client, logger: logger).write(report, format: format, actor: nil, to: sink)
                }
            }
        }
    }
}

extension Export {
    /// Opens the database (migrated), lets `produce` stream a file into `out`, and says how big it is.
    static func write(
        _ out: String,
        database: DatabaseOptions,
        _ produce: @escaping @Sendable (Database, Logger, @escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Void
    )
        async throws
    {
        let config = try await database.config()
        let logger = commandLogger()
        let size = try await AtomicFile.write(out) { sink in
            try await Database.withDatabase(config, logger: logger) { owner, database in
                try await Migrator(directory: config.sqlDirectory, logger: logger).migrate(owner)
                try await produce(database, logger, sink)
            }
        }
        print("Wrote \(out) (\(size) bytes).")
    }
}
