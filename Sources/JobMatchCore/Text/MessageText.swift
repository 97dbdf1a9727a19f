import Foundation

/// The texts of messages to workers, short enough for one SMS (160 characters) when they can be:
/// the vacancy's title, the employer's name or the fair's place are shortened to fit. A text is made
/// only from these and dates: never a CCCD, a phone or a household status. What staff or employers
/// typed is cleaned first: a run of 9 or more digits (the shape of a CCCD or an old card) is cut
/// out, and a field that speaks of poverty or low income is replaced by a neutral word.
public enum MessageText {
    /// How the centre signs its messages.
    public static let sender = "TT DVVL"
    /// One SMS.
    public static let limit = 160

    /// A referral made: the vacancy and the employer.
    public static func referral(title: String, employer: String) -> String {
        self.fitted([title, employer], fallbacks: ["việc làm", "doanh nghiệp"]) { f in
            "\(sender): Anh/chị được giới thiệu vị trí \(f[0]) tại \(f[1]). Mời đến trung tâm nhận giấy giới thiệu."
        }
    }

    /// An interview recorded, with its outcome (`passed`, `failed`, `no_show`).
    public static func interview(title: String, employer: String, on day: LocalDate, outcome: String) -> String {
        self.fitted([title, employer], fallbacks: ["việc làm", "doanh nghiệp"]) { f in
            switch outcome {
            case "passed": "\(sender): Anh/chị đã đạt phỏng vấn vị trí \(f[0]) tại \(f[1]) ngày \(day.vietnamese). Chúc mừng anh/chị."
            case "no_show": "\(sender): Anh/chị chưa đến phỏng vấn vị trí \(f[0]) tại \(f[1]) ngày \(day.vietnamese). Xin liên hệ trung tâm."
            default: "\(sender): Phỏng vấn vị trí \(f[0]) tại \(f[1]) ngày \(day.vietnamese) chưa đạt. Trung tâm sẽ giới thiệu việc khác."
            }
        }
    }

    /// A job fair near the worker with vacancies in their occupation.
    public static func jobFair(on day: LocalDate, place: String, occupation: String) -> String {
        self.fitted([place, occupation], fallbacks: ["trung tâm", "nhiều ngành nghề"]) { f in
            "\(sender): Phiên giao dịch việc làm ngày \(day.vietnamese) tại \(f[0]) có tuyển \(f[1]). Mời anh/chị tham dự."
        }
    }

    /// A follow-up call announced, `months` after the job began.
    public static func followUp(months: Int, employer: String) -> String {
        self.fitted([employer], fallbacks: ["nơi làm việc"]) { f in
            "\(sender): Cán bộ trung tâm sẽ gọi hỏi thăm công việc của anh/chị tại \(f[0]) sau \(months) tháng. Xin cảm ơn."
        }
    }

    /// `fields` cleaned, then the longest shortened (with `…`) until the text fits, but none below
    /// 12 characters (a text may then be longer than one SMS).
    static func fitted(_ fields: [String], fallbacks: [String], _ text: ([String]) -> String) -> String {
        var fields = zip(fields, fallbacks).map { self.clean($0, fallback: $1) }
        while text(fields).count > self.limit {
            guard let longest = fields.indices.max(by: { fields[$0].count < fields[$1].count }), fields[longest].count > 12 else { break }
            let over = text(fields).count - self.limit
            let keep = max(11, fields[longest].count - over - 1)
            fields[longest] = String(fields[longest].prefix(keep)).trimmingSpaces() + "…"
        }
        return text(fields)
    }

    /// A typed field fit for a message: one line, no long digit runs, nothing about poverty or income.
    static func clean(_ field: String, fallback: String) -> String {
        var kept = ""
        var digits = ""
        for character in field.precomposedStringWithCanonicalMapping {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            if digits.count < 9 { kept += digits }
            digits = ""
            kept.append(character.isNewline ? " " : character)
        }
        if digits.count < 9 { kept += digits }
        let words = kept.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let plain = AsciiText.fold(words).lowercased()
        if words.isEmpty || ["ngheo", "thu nhap thap", "bao tro xa hoi"].contains(where: plain.contains) { return fallback }
        return words
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(self.reversed().drop(while: \.isWhitespace).reversed())
    }
}
