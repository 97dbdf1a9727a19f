import Foundation
import JobMatchCore

/// How a worker checks in at a job fair (`POST /api/staff/job-fairs/{id}/check-ins`): exactly one of
/// the CCCD, the code on their referral letter, or a walk-in's registration (the usual worker record).
struct JobFairCheckIn: Decodable, Sendable {
    var cccd: String?
    var letterCode: String?
    var walkIn: WorkerInput?

    /// What the check-in names, checked: which of the three, with its value normalised.
    enum Means: Sendable {
        case cccd(String)
        case letter(LetterCode)
        case walkIn(WorkerInput)

        /// The stored name of the means (`job_fair_attendances.means`).
        var stored: String {
            switch self {
            case .cccd: "cccd"
            case .letter: "letter"
            case .walkIn: "walk_in"
            }
        }
    }

    /// The one means given, or a 422 at the field: an empty form asks for a CCCD or a letter code.
    func means() throws -> Means {
        let cccd = self.cccd.map { $0.filter { !$0.isWhitespace } }.flatMap { $0.isEmpty ? nil : $0 }
        let code = self.letterCode.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let given = [cccd != nil, code != nil, self.walkIn != nil].filter { $0 }.count
        guard given == 1 else {
            throw AppError.invalid(
                field: given == 0 ? "cccd" : "letter_code",
                given == 0
                    ? "Hãy nhập số CCCD hoặc mã trên giấy giới thiệu; người chưa đăng ký thì đăng ký tại chỗ."
                    : "Chỉ nhập một trong hai: số CCCD hoặc mã giấy giới thiệu."
            )
        }
        if let cccd {
            guard cccd.count == 12, cccd.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw AppError.invalid(field: "cccd", "Số CCCD phải gồm đúng 12 chữ số.")
            }
            return .cccd(cccd)
        }
        if let code {
            guard let letter = LetterCode(code) else {
                throw AppError.invalid(field: "letter_code", "Mã giấy giới thiệu gồm 10 ký tự, ví dụ ABCDE-12345; mã này không đúng dạng.")
            }
            return .letter(letter)
        }
        return .walkIn(self.walkIn!)
    }
}
