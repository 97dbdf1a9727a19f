import ArgumentParser
import Foundation
import JobMatch

/// `jobmatch match --all`: proposes referrals for all open vacancies at once (an optimal
/// assignment); staff accept or drop the proposals before anything is sent to an employer.
struct Match: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Propose referrals for all open vacancies at once (each worker to at most one vacancy)."
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "All open vacancies (required: the batch always covers every open vacancy).")
    var all = false

    @Option(name: .long, help: "How many of each vacancy's best candidates to read first (1-200; more are read as the solve needs).")
    var candidatesPerVacancy = 20

    @Option(name: .long, help: "Seconds the exact search may run (1-3600); past them the remaining slots get their best free candidate.")
    var exactSeconds = BatchMatcher.defaultExactSeconds

    @Flag(name: .long, help: "Print the batch's figures as one line of JSON.")
    var json = false

    func validate() throws {
        guard self.all else { throw ValidationError("use --all: a batch covers every open vacancy") }
        guard (1...200).contains(self.candidatesPerVacancy) else { throw ValidationError("--candidates-per-vacancy must be 1...200") }
        guard (1...3600).contains(self.exactSeconds) else { throw ValidationError("--exact-seconds must be 1...3600") }
    }

    func run() async throws {
        try await reportingFailures {
            let (perVacancy, json, exactSeconds) = (self.candidatesPerVacancy, self.json, self.exactSeconds)
            let started = ContinuousClock.now
            let summary = try await self.database.withMigratedClient { client, logger in
                try await BatchMatcher(client: client, logger: logger).run(actor: nil, candidatesPerVacancy: perVacancy, exactSeconds: exactSeconds)
            }
            if json {
                print(BatchLine(summary, wallMs: Int((ContinuousClock.now - started) / .milliseconds(1))).json)
                return
            }
            print(
                "Batch \(summary.batchId): \(summary.proposals) proposals for \(summary.vacancies) open vacancies "
                    + "(\(summary.priorityProposals) from poor or near-poor households), total score \(summary.totalScore); "
                    + "\(summary.openSlots) open slots, at most \(summary.mostFillable) can be filled; "
                    + "optimality proof: \(summary.certificate.optimal ? "holds" : "FAILED") (\(summary.certificate.pairsChecked) pairs checked, "
                    + "\(summary.certificate.violations) violations); "
                    + "greedy baseline \(summary.greedyProposals) proposals, \(summary.greedyPriority) priority, total score \(summary.greedyTotalScore); "
                    + "\(summary.durationMs) ms."
            )
        }
    }
}
