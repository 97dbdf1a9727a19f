import Foundation
import JobMatchCore
import Testing

@testable import JobMatch

/// A batch's JSON is written by hand: it must be the object `JSONEncoder` gave (snake_case keys,
/// absent figures left out) and read back as the same batch.
@Suite("A batch's JSON")
struct BatchViewJSONTests {
    static func batch(optional: Bool) -> MatchBatchService.BatchView {
        let parts = [
            ScorePart(key: "priority_group", points: 30, reason: "Hộ cận nghèo \"mới\"\n"),
            ScorePart(key: "distance", points: -2, reason: "Cách nơi làm việc khoảng 0,0 km / 😀"),
        ]
        return MatchBatchService.BatchView(
            id: 7,
            asOf: "2026-12-08",
            vacancies: 2,
            proposals: 2,
            priorityProposals: 1,
            totalScore: 56,
            greedyProposals: 1,
            greedyPriority: 1,
            greedyTotalScore: 28,
            openSlots: optional ? 3 : nil,
            mostFillable: optional ? 2 : nil,
            certificateViolations: optional ? 0 : nil,
            pairsChecked: optional ? 12_345_678_901 : nil,
            durationMs: 812,
            items: [
                .init(referralId: 11, vacancyId: 3, workerId: 5, status: "proposed", score: 28, scorePartsJSON: ScorePart.json(parts)),
                .init(referralId: 12, vacancyId: 4, workerId: 6, status: "withdrawn", score: 28, scorePartsJSON: ScorePart.json([])),
            ]
        )
    }

    @Test("the object JSONEncoder gave, absent figures left out", arguments: [true, false])
    func sameObject(optional: Bool) throws {
        let batch = Self.batch(optional: optional)
        let written = try #require(try JSONSerialization.jsonObject(with: Data(batch.json)) as? [String: Any])
        var expected: [String: Any] = [
            "id": 7, "as_of": "2026-12-08", "vacancies": 2, "proposals": 2, "priority_proposals": 1, "total_score": 56,
            "greedy_proposals": 1, "greedy_priority": 1, "greedy_total_score": 28, "duration_ms": 812,
            "items": try batch.items.map { item -> [String: Any] in
                [
                    "referral_id": Int(item.referralId), "vacancy_id": Int(item.vacancyId), "worker_id": Int(item.workerId), "status": item.status,
                    "score": item.score, "score_parts": try item.scoreParts.map { ["key": $0.key, "points": $0.points, "reason": $0.reason] },
                ]
            },
        ]
        if optional {
            expected.merge(["open_slots": 3, "most_fillable": 2, "certificate_violations": 0, "pairs_checked": 12_345_678_901]) { $1 }
        }
        func canonical(_ object: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        #expect(try canonical(written) == canonical(expected))
        // Keys sorted, as the service's encoder sorts them.
        let text = String(decoding: batch.json, as: UTF8.self)
        let keys = ["as_of", "certificate_violations", "duration_ms", "greedy_priority", "greedy_proposals", "greedy_total_score", "id", "items"]
        let positions = keys.compactMap { text.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions == positions.sorted() && positions.count == (optional ? keys.count : keys.count - 1))
    }

    @Test("reads back as the same batch, parts and all")
    func readsBack() throws {
        let batch = Self.batch(optional: true)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let read = try decoder.decode(MatchBatchService.BatchView.self, from: Data(batch.json))
        #expect(try read.items.map { try $0.scoreParts } == batch.items.map { try $0.scoreParts })
        #expect(read.items.map(\.scorePartsJSON) == batch.items.map(\.scorePartsJSON))
        #expect(read.pairsChecked == 12_345_678_901 && read.totalScore == 56 && read.asOf == "2026-12-08")
        let parts = try batch.items[0].scoreParts
        #expect(parts.count == 2 && parts[0].reason == "Hộ cận nghèo \"mới\"\n")
    }
}
