/// Vietnamese mobile numbers, stored in the national form `0XXXXXXXXX`.
public enum PhoneNumber {
    /// Mobile prefixes in use after the 2018 renumbering (03x, 05x, 07x, 08x, 09x).
    static let mobileSecondDigits: Set<Character> = ["3", "5", "7", "8", "9"]

    /// Accepts `0912345678`, `+84912345678`, `84912345678`, with spaces, dots or dashes.
    public static func normalize(_ raw: String, field: String = "phone") throws(FieldError) -> String {
        var digits = raw.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") {
            digits = "0" + digits.dropFirst(3)
        } else if digits.hasPrefix("84"), digits.count == 11 {
            digits = "0" + digits.dropFirst(2)
        }
        guard digits.count == 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first == "0",
            mobileSecondDigits.contains(digits[digits.index(after: digits.startIndex)])
        else {
            throw FieldError(field: field, message: "Số điện thoại di động không hợp lệ (ví dụ: 0912345678 hoặc +84912345678).")
        }
        return digits
    }

    /// A contact number of a business: a mobile number, or a landline of 11 digits with its area
    /// code (`0293 3123 456`, after the 2017 area-code change); stored in the national form.
    public static func normalizeContact(_ raw: String, field: String) throws(FieldError) -> String {
        if let mobile = try? self.normalize(raw, field: field) { return mobile }
        var digits = raw.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") { digits = "0" + digits.dropFirst(3) }
        guard digits.count == 11, digits.hasPrefix("02"), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FieldError(
                field: field,
                message: "Số điện thoại liên hệ không hợp lệ (di động 0912345678, hoặc cố định có mã vùng, ví dụ 02933 123 456)."
            )
        }
        return digits
    }
}
