import ArgumentParser
import Foundation
import JobMatch

/// `match --all --json`: the batch's figures (not its proposals) as one line for scripts and benchmarks.
struct BatchLine: Encodable {
    let batchId: Int64
    let vacancies: Int
    let openSlots: Int
    let mostFillable: Int
    let proposals: Int
    let priorityProposals: Int
    let totalScore: Int64
    let greedyProposals: Int
    let greedyTotalScore: Int64
    let certificate: BatchMatcher.Certificate
    let durationMs: Int
    let wallMs: Int
    let phasesMs: BatchMatcher.Phases

    init(_ summary: BatchMatcher.Summary, wallMs: Int) {
        self.batchId = summary.batchId
        self.vacancies = summary.vacancies
        self.openSlots = summary.openSlots
        self.mostFillable = summary.mostFillable
        self.proposals = summary.proposals
        self.priorityProposals = summary.priorityProposals
        self.totalScore = summary.totalScore
        self.greedyProposals = summary.greedyProposals
        self.greedyTotalScore = summary.greedyTotalScore
        self.certificate = summary.certificate
        self.durationMs = summary.durationMs
        self.wallMs = wallMs
        self.phasesMs = summary.phasesMs
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
