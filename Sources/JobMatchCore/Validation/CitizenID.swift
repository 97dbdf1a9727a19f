/// The 12-digit citizen ID (CCCD): province of birth registration, century and sex, year of
/// birth, then six random digits. There is no check digit, so structure and consistency with
/// the birth date and sex is what can be checked.
public enum CitizenID {
    /// The 63 province codes (legacy GSO codes, three digits) a CCCD can start with.
    public static let provinceCodes: Set<String> = [
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
        "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
        "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
        "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
        "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
    ]

    /// Checks a CCCD against the holder's birth date and sex; returns the digits.
    public static func validate(_ raw: String, birthDate: LocalDate, sex: Sex, field: String = "cccd") throws(FieldError) -> String {
        let cccd = raw.filter { !$0.isWhitespace }
        if cccd.count == 9, cccd.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw FieldError(field: field, message: "Đây là số CMND 9 chữ số cũ: hãy ghi vào trường CMND (cmnd); số CCCD phải gồm đúng 12 chữ số.")
        }
        guard cccd.count == 12, cccd.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FieldError(field: field, message: "Số CCCD phải gồm đúng 12 chữ số.")
        }
        let digits = cccd.compactMap { $0.wholeNumberValue }
        let province = String(cccd.prefix(3))
        guard provinceCodes.contains(province) else {
            throw FieldError(field: field, message: "Số CCCD có mã tỉnh nơi đăng ký khai sinh \(province) không tồn tại.")
        }
        let centuryDigit = digits[3]
        guard centuryDigit <= 9 else {
            throw FieldError(field: field, message: "Số CCCD có mã thế kỷ và giới tính không hợp lệ.")
        }
        let century = 1900 + (centuryDigit / 2) * 100
        let female = centuryDigit % 2 == 1
        let year = century + digits[4] * 10 + digits[5]
        guard year == birthDate.year else {
            throw FieldError(
                field: field,
                message: "Số CCCD cho năm sinh \(year), không khớp với ngày sinh \(birthDate.vietnamese)."
            )
        }
        guard female == (sex == .female) else {
            throw FieldError(field: field, message: "Số CCCD cho giới tính \(female ? "Nữ" : "Nam"), không khớp với giới tính đã khai.")
        }
        return cccd
    }

    /// The old 9-digit identity card number (CMND), kept only as a secondary identifier: it
    /// carries no birth date or sex to check, so nine digits is the whole rule.
    public static func validateOldID(_ raw: String, field: String = "cmnd") throws(FieldError) -> String {
        let cmnd = raw.filter { !$0.isWhitespace }
        guard cmnd.count == 9, cmnd.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FieldError(field: field, message: "Số CMND cũ phải gồm đúng 9 chữ số.")
        }
        return cmnd
    }

    /// Shows the first four digits (province and century/sex) and the last two: `0930******12`.
    public static func masked(_ cccd: String) -> String {
        guard cccd.count > 6 else { return String(repeating: "*", count: cccd.count) }
        return cccd.prefix(4) + String(repeating: "*", count: cccd.count - 6) + cccd.suffix(2)
    }
}
