import ArgumentParser
import JobMatch
import JobMatchCore

/// `jobmatch audit ...`: reading the audit trail.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read the audit trail.", subcommands: [Touched.self])

    /// `jobmatch audit touched --actor USERNAME --from YYYY-MM-DD --to YYYY-MM-DD`: the people whose
    /// data an account read, changed or exported in a window (for a personal-data breach notice).
    struct Touched: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every person whose data a staff account read, changed or exported between two days (Vietnam time, inclusive).",
            discussion: """
                Tab-separated: worker id, full name, action, record, record id, time. Acts that showed or \
                exported many people without naming them in the log (a vacancy's candidates, exports, imports) \
                follow as '#' lines with what the log keeps of them. See docs/security.md.
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Option(name: .long, help: "The staff account's username.")
        var actor: String

        @Option(name: .long, help: "First day, YYYY-MM-DD.")
        var from: String

        @Option(name: .long, help: "Last day, YYYY-MM-DD (included).")
        var to: String

        func validate() throws {
            guard let from = LocalDate(self.from) else { throw ValidationError("--from must be a date, YYYY-MM-DD") }
            guard let to = LocalDate(self.to) else { throw ValidationError("--to must be a date, YYYY-MM-DD") }
            guard from <= to else { throw ValidationError("--from must not be after --to") }
        }

        func run() async throws {
            try await reportingFailures {
                let (actor, from, to) = (self.actor, LocalDate(self.from)!, LocalDate(self.to)!)
                let report = try await self.database.withMigratedClient { client, logger in
                    try await AuditTouched.load(username: actor, from: from, to: to, client: client, logger: logger)
                }
                print(report.render(), terminator: "")
            }
        }
    }
}
