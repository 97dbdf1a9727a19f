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
        Self.field("certificate_violations", self.certificateViolations, to: &out)
        Self.field("duration_ms", self.durationMs, to: &out)
        Self.field("greedy_priority", self.greedyPriority, to: &out)
        Self.field("greedy_proposals", self.greedyProposals, to: &out)
        Self.field("greedy_total_score", self.greedyTotalScore, to: &out)
        Self.field("id", self.id, to: &out)
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
        Self.field("most_fillable", self.mostFillable, to: &out)
        Self.field("open_slots", self.openSlots, to: &out)
        Self.field("pairs_checked", self.pairsChecked, to: &out)
        Self.field("priority_proposals", self.priorityProposals, to: &out)
        Self.field("proposals", self.proposals, to: &out)
        Self.field("total_score", self.totalScore, to: &out)
        Self.field("vacancies", self.vacancies, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
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
