import Foundation
import JobMatchCore

/// A follow-up as staff record it (`POST /placements/{id}/follow-ups`, snake_case keys): the milestone, what the
/// call found, when, an optional note, and whether a worker who stopped goes back to seeking work.
struct FollowUpInput: Decodable, Sendable {
    var months: Int?
    var outcome: String?
    var contactedOn: String?
    var note: String?
    var returnToSeeking: Bool?
}

/// A follow-up checked at the edge, each error at its field.
struct ValidFollowUp: Sendable {
    static let milestones = [3, 6, 12]

    let months: Int
    let outcome: FollowUpOutcome
    let contactedOn: LocalDate
    let note: String?
    let returnToSeeking: Bool

    init(_ input: FollowUpInput, today: LocalDate) throws {
        guard let months = input.months, Self.milestones.contains(months) else {
            throw AppError.invalid(field: "months", "Mốc theo dõi phải là 3, 6 hoặc 12 tháng.")
        }
        self.months = months
        self.outcome = try Input.choice(input.outcome ?? "", as: FollowUpOutcome.self, field: "outcome")
        let day = try Input.date(input.contactedOn ?? "", field: "contacted_on", label: "Ngày liên hệ")
        guard day <= today else { throw AppError.invalid(field: "contacted_on", "Ngày liên hệ không thể sau hôm nay.") }
        self.contactedOn = day
        self.note = try CleanText.optional(input.note, field: "note", label: "Ghi chú", maxLength: 1000)
        self.returnToSeeking = input.returnToSeeking ?? false
        if self.returnToSeeking && self.outcome != .stopped {
            throw AppError.invalid(field: "return_to_seeking", "Chỉ đưa người lao động về tìm việc khi họ đã nghỉ việc.")
        }
    }
}
