import Foundation
import JobMatchCore
import PropertyBased
import Testing

/// A batch writes each proposal's score parts with `ScorePart.json` instead of `JSONEncoder`: the text
/// must read back as the same parts, whatever the keys and reasons hold.
@Suite("Score parts written as JSON")
struct ScorePartJSONTests {
    /// Characters that need escaping, and some that must pass as they are.
    static let pool: [Character] = [
        "a", "Đ", "ư", "ờ", "\u{0301}", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1f}", "\u{7f}", "\u{2028}", "😀", " ", "{", "}",
    ]

    static var text: Generator<String, some Sequence & SendableMetatype> {
        Gen.int(in: 0...(Self.pool.count - 1)).array(of: 0...12).map { String($0.map { Self.pool[$0] }) }
    }

    @Test("property: any parts read back equal through JSONDecoder")
    func readsBack() async {
        await propertyCheck(count: 300, input: zip(Self.text, Gen.int(in: -1_000...1_000), Self.text).array(of: 0...4)) { raw in
            let parts = raw.map { ScorePart(key: $0.0, points: $0.1, reason: $0.2) }
            let decoded = try? JSONDecoder().decode([ScorePart].self, from: Data(ScorePart.json(parts).utf8))
            #expect(decoded == parts, "\(ScorePart.json(parts))")
        }
    }

    @Test("a real score's parts, with Vietnamese reasons, read back equal")
    func realScore() throws {
        let today = LocalDate(year: 2026, month: 3, day: 1)!
        let facts = CandidateFacts(
            householdStatus: .poor,
            workerOccupations: ["7212"],
            vacancyOccupation: "7212",
            completedTrainingOccupations: ["7212"],
            registeredOn: LocalDate(year: 2025, month: 1, day: 1)!,
            today: today
        )
        let parts = CandidateScorer.score(facts).parts
        #expect(!parts.isEmpty)
        #expect(try JSONDecoder().decode([ScorePart].self, from: Data(ScorePart.json(parts).utf8)) == parts)
        #expect(ScorePart.json([]) == "[]")
    }
}
