import ArgumentParser
import JobMatch

/// `jobmatch match --all`: proposes referrals for all open vacancies at once (an optimal
/// assignment); staff accept or drop the proposals before anything is sent to an employer.
struct Match: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Propose referrals for all open vacancies at once (each worker to at most one vacancy).")

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "All open vacancies (required: the batch always covers every open vacancy).")
    var all = false

    @Option(name: .long, help: "How many of each vacancy's best candidates to consider (1-200).")
    var candidatesPerVacancy = 20

    func validate() throws {
        guard self.all else { throw ValidationError("use --all: a batch covers every open vacancy") }
        guard (1...200).contains(self.candidatesPerVacancy) else { throw ValidationError("--candidates-per-vacancy must be 1...200") }
    }

    func run() async throws {
        try await reportingFailures {
            let perVacancy = self.candidatesPerVacancy
            let summary = try await self.database.withMigratedClient { client, logger in
                try await BatchMatcher(client: client, logger: logger).run(actor: nil, candidatesPerVacancy: perVacancy)
            }
            print("Batch \(summary.batchId): \(summary.proposals) proposals for \(summary.vacancies) open vacancies "
                  + "(\(summary.priorityProposals) from poor or near-poor households), total score \(summary.totalScore); "
                  + "greedy baseline \(summary.greedyProposals) proposals, \(summary.greedyPriority) priority, total score \(summary.greedyTotalScore); "
                  + "\(summary.durationMs) ms.")
        }
    }
}
