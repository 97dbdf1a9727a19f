/// The enterprise tax code (mã số thuế): ten digits whose last is a check digit, optionally
/// followed by `-` and three digits for a branch.
public enum TaxCode {
    static let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]

    /// Returns the normalised tax code or explains what is wrong.
    public static func validate(_ raw: String, field: String = "tax_code") throws(FieldError) -> String {
        let code = raw.filter { !$0.isWhitespace }
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        let main = parts.first.map(String.init) ?? ""
        guard parts.count <= 2, main.count == 10, main.allSatisfy({ $0.isASCII && $0.isNumber }),
            parts.count == 1 || (parts[1].count == 3 && parts[1].allSatisfy({ $0.isASCII && $0.isNumber }))
        else {
            throw FieldError(field: field, message: "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số của chi nhánh.")
        }
        let digits = main.compactMap { $0.wholeNumberValue }
        guard digits[9] == checkDigit(digits) else {
            throw FieldError(field: field, message: "Mã số thuế \(main) sai chữ số kiểm tra.")
        }
        return code
    }

    /// The check digit for the first nine digits, or nil when none is possible.
    static func checkDigit(_ digits: [Int]) -> Int? {
        let sum = zip(digits.prefix(9), weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 10 - sum % 11
        return check <= 9 ? check : nil
    }
}
