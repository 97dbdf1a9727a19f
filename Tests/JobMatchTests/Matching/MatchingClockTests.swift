import Foundation
import JobMatchCore
import Testing

@testable import JobMatch

/// `JOBMATCH_TODAY_FILE` lets benchmarks turn matching's day; the file's date is read, anything else falls back to today.
@Suite("Matching day from a day file")
struct MatchingClockTests {
    @Test("a date in the file is the day; a missing file, an empty one or garbage is none")
    func dayFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jm-day-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("today").path
        #expect(MatchingClock.day(inFile: file) == nil)
        try "2027-03-01\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(MatchingClock.day(inFile: file) == LocalDate(year: 2027, month: 3, day: 1))
        for junk in ["", "tomorrow", "2027-02-30"] {
            try junk.write(toFile: file, atomically: true, encoding: .utf8)
            #expect(MatchingClock.day(inFile: file) == nil, "\(junk)")
        }
    }
}
