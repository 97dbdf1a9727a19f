import Foundation
import Hummingbird
import JobMatchCore

/// A batch's JSON, written byte by byte: keys in snake_case and sorted, absent figures left out, as
/// the responses' `JSONEncoder` writes them, but each proposal's stored parts copied as they are.
/// A batch of 32,000 proposals took 1.5 s through `JSONDecoder` and `JSONEncoder`.
extension MatchBatchService.BatchView: ResponseGenerator {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: self.json))
        )
    }

    /// The body: one JSON object.
    var json: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + self.items.count * 640)
        out.append(contentsOf: #"{"as_of":"#.utf8)
        FlatJSON.appendString(self.asOf, to: &out)
        for (name, value) in self.figuresBeforeItems { Self.field(name, value, to: &out) }
        out.append(contentsOf: #","items":["#.utf8)
        for (index, item) in self.items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"referral_id":"#.utf8)
            out.append(contentsOf: String(item.referralId).utf8)
            Self.field("score", item.score, to: &out)
            out.append(contentsOf: #","score_parts":"#.utf8)
            out.append(contentsOf: item.scorePartsJSON.utf8)
            out.append(contentsOf: #","status":"#.utf8)
            FlatJSON.appendString(item.status, to: &out)
            Self.field("vacancy_id", item.vacancyId, to: &out)
            Self.field("worker_id", item.workerId, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        for (name, value) in self.figuresAfterItems { Self.field(name, value, to: &out) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The figures whose keys sort between `as_of` and `items`.
    private var figuresBeforeItems: [(String, Int64?)] {
        [
            ("certificate_violations", self.certificateViolations.map(Int64.init)), ("duration_ms", Int64(self.durationMs)),
            ("greedy_priority", Int64(self.greedyPriority)), ("greedy_proposals", Int64(self.greedyProposals)),
            ("greedy_total_score", self.greedyTotalScore), ("id", self.id),
        ]
    }

    /// The figures whose keys sort after `items`.
    private var figuresAfterItems: [(String, Int64?)] {
        [
            ("most_fillable", self.mostFillable.map(Int64.init)), ("open_slots", self.openSlots.map(Int64.init)),
            ("pairs_checked", self.pairsChecked), ("priority_proposals", Int64(self.priorityProposals)),
            ("proposals", Int64(self.proposals)), ("total_score", self.totalScore), ("vacancies", Int64(self.vacancies)),
        ]
    }

    /// `,"name":value`, or nothing when the value is absent.
    private static func field(_ name: String, _ value: (some BinaryInteger)?, to out: inout [UInt8]) {
        guard let value else { return }
        out.append(contentsOf: #",""#.utf8)
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: #"":"#.utf8)
        out.append(contentsOf: String(value).utf8)
    }
}

extension MatchBatchService.ProposalView {
    private enum CodingKeys: String, CodingKey {
        case referralId, vacancyId, workerId, status, score, scoreParts
    }

    /// Reads a proposal as a response gives it (the parts as an array of objects).
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.referralId = try container.decode(Int64.self, forKey: .referralId)
        self.vacancyId = try container.decode(Int64.self, forKey: .vacancyId)
        self.workerId = try container.decode(Int64.self, forKey: .workerId)
        self.status = try container.decode(String.self, forKey: .status)
        self.score = try container.decode(Int.self, forKey: .score)
        self.scorePartsJSON = ScorePart.json(try container.decode([ScorePart].self, forKey: .scoreParts))
    }
}
