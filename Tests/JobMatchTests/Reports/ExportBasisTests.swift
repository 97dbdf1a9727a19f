import Foundation
import JobMatchCore
import Testing

@testable import JobMatch

/// The files give the progress report's numbers: on a random ledger of six years, a year's monthly
/// files add up to its yearly file and to the year in `by_year`, and the period's file to the
/// target's count, on the target's basis (issue 20, section 1).
@Suite("Export files count as progress does")
struct ExportBasisTests {
    /// The rows of the list and the jobs target's summary row of an export read back as CSV.
    static func read(_ url: String, _ range: PlacementExportSpec.Range, asOf: String) async throws -> (rows: Int, jobs: [String]?) {
        let bytes = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await PlacementExports(client: client, logger: TestCluster.logger).bytes(
                PlacementExportSpec(range: range, asOf: LocalDate(asOf)!, fullCCCD: false),
                format: .csv,
                actor: nil
            )
        }
        let sections = ExportReader.sections(try await ExportReader.read(bytes, format: .csv)[0].rows)
        let jobs = sections[1].first { $0.count > 4 && $0[0] == "Chỉ tiêu" && $0[1].hasPrefix("Lao động được tạo việc làm 2021-2025") }
        return (sections[0].count - 1, jobs)  // the list's header row is not a person
    }

    @Test("a year's monthly files add up to its yearly file and to progress by year; the period's file holds the target's count")
    func filesAddUp() async throws {
        try await withTestApp { client, tokens, url in
            var generator = SystemRandomNumberGenerator()
            let seed = UInt64.random(in: 1...1_000_000, using: &generator)
            try await execute(PlacementLedgerTests.randomLedger(seed: seed), url: url)
            let asOf = "2026-11-27"
            let (targets, _) = try await client.progress(tokens, asOf: asOf)
            let jobs = try #require(targets["jobs_2021_2025"])
            #expect(jobs.basis == .yearly)
            // 2024 holds the merges (1 June); 2022 is a year before any
            for year in [2022, 2024] {
                let expected = Int(jobs.byYear.first { $0.key == "\(year)" }?.count ?? -1)
                var months = 0
                for month in 1...12 {
                    let file = try await Self.read(url, .month(Month(year: year, month: month)!), asOf: asOf)
                    months += file.rows
                    let summary = try #require(file.jobs, "seed \(seed), \(year)-\(month)")
                    #expect(summary[2] == "\(file.rows)", "seed \(seed), \(year)-\(month): in the month")
                    #expect(summary[3] == "\(months)", "seed \(seed), \(year)-\(month): year to date adds the months")
                }
                #expect(months == expected, "seed \(seed), \(year): the months' files against progress by year")
                let yearly = try await Self.read(url, .years(first: year, last: year), asOf: asOf)
                #expect(yearly.rows == expected, "seed \(seed), \(year): the year's file against progress by year")
            }
            let period = try await Self.read(url, .years(first: 2021, last: 2025), asOf: asOf)
            #expect(period.rows == Int(jobs.count), "seed \(seed): the period's file against the target's count")
            #expect(period.jobs?[4] == "\(jobs.count)", "seed \(seed): the period's summary against the target's count")
        }
    }
}
