import Foundation
import JobMatchCore

/// The likely duplicate pairs as the page shows them: both records side by side, field by field,
/// each field marked when the two agree (compared on the stored values; CCCD, CMND and phone
/// numbers are shown masked, as lists of people show them).
struct DuplicatePairs {
    /// One record of a pair, as compared.
    struct Record {
        let id: Int64
        let name: String
        let searchName: String
        let birth: String
        let sex: String
        let cccd: String?
        let cmnd: String?
        let phone: String?
        let ward: String
        let household: Int64?
        let registered: String
    }

    /// The rows of the side-by-side table: label, both values (masked where personal), whether they agree.
    static func rows(_ a: Record, _ b: Record) -> [[String: Any]] {
        func row(_ label: String, _ first: String?, _ second: String?, same: Bool) -> [String: Any] {
            ["label": label, "first": first ?? "—", "second": second ?? "—", "same": same]
        }
        func equal(_ x: String?, _ y: String?) -> Bool { x != nil && x == y }
        return [
            row("Họ và tên", a.name, b.name, same: a.searchName == b.searchName),
            row("Ngày sinh", WebDates.display(a.birth), WebDates.display(b.birth), same: a.birth == b.birth),
            row("Giới tính", WebLabels.word(a.sex, in: WebLabels.sex), WebLabels.word(b.sex, in: WebLabels.sex), same: a.sex == b.sex),
            row("Số CCCD", a.cccd.map(CitizenID.masked), b.cccd.map(CitizenID.masked), same: equal(a.cccd, b.cccd)),
            row("Số CMND cũ", a.cmnd.map(CitizenID.masked), b.cmnd.map(CitizenID.masked), same: equal(a.cmnd, b.cmnd)),
            row("Số điện thoại", a.phone.map(PersonalDataMask.phone), b.phone.map(PersonalDataMask.phone), same: equal(a.phone, b.phone)),
            row("Xã, phường", a.ward, b.ward, same: a.ward == b.ward),
            row(
                "Hộ gia đình",
                a.household.map { "Hộ số \($0)" },
                b.household.map { "Hộ số \($0)" },
                same: a.household != nil && a.household == b.household
            ),
            row("Ngày đăng ký", a.registered, b.registered, same: false),
        ]
    }

    /// The record a clerk most likely keeps: the one with a CCCD, else the older one.
    static func suggestedKeep(_ a: Record, _ b: Record) -> Int64 {
        if a.cccd == nil, b.cccd != nil { return b.id }
        return a.id
    }
}
