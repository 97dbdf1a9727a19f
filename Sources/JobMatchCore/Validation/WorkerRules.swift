/// The rules of a worker's record that need no database, written once and used by the staff API,
/// the web pages (through the same typed input) and the CSV importer.
public enum WorkerRules {
    /// The ages the service registers workers at: working age.
    public static let workingAge = ValueRange<Int>.workingAge.bounds

    /// The age a worker must have reached on the day of leaving to work abroad (Law 69/2020).
    public static let abroadAge = 18

    /// A birth date in the past, of someone of working age `today`; refused at `field`.
    public static func checkBirth(_ birth: LocalDate, today: LocalDate, field: String = "birth_date") throws(FieldError) {
        guard birth < today else { throw FieldError(field: field, message: "Ngày sinh phải là một ngày trong quá khứ.") }
        let age = birth.age(on: today)
        guard self.workingAge.contains(age) else {
            throw FieldError(field: field, message: "Người lao động phải từ 15 đến 100 tuổi (tuổi theo ngày sinh: \(age)).")
        }
    }

    /// A 2025 or legacy ward code: exactly five digits.
    public static func wardCode(_ text: String, field: String) throws(FieldError) -> String {
        guard text.count == 5, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FieldError(field: field, message: "Mã xã/phường phải gồm đúng 5 chữ số (ví dụ 31321).")
        }
        return text
    }

    /// A legacy (pre-2025) district code: exactly three digits.
    public static func legacyDistrictCode(_ text: String, field: String) throws(FieldError) -> String {
        guard text.count == 3, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FieldError(field: field, message: "Mã huyện cũ phải gồm đúng 3 chữ số (ví dụ 930).")
        }
        return text
    }

    /// An ISCO-08/VSCO 2020 occupation code: one to four digits (major group to unit group).
    public static func occupationCode(_ text: String, field: String) throws(FieldError) -> String {
        guard (1...4).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FieldError(field: field, message: "Mã nghề phải gồm 1 đến 4 chữ số theo ISCO-08/VSCO 2020.")
        }
        return text
    }

    /// A record's place: a 2025 ward code, a legacy ward code, or both (each five digits); with
    /// neither, refused at `wardField`. Whether the codes exist, and agree, is the database's check.
    public static func place(
        ward: String?,
        legacyWard: String?,
        wardField: String = "ward_code",
        legacyField: String = "legacy_ward_code"
    )
        throws(FieldError) -> (ward: String?, legacyWard: String?)
    {
        let ward = try ward.map { code throws(FieldError) in try self.wardCode(code, field: wardField) }
        let legacy = try legacyWard.map { code throws(FieldError) in try self.wardCode(code, field: legacyField) }
        guard ward != nil || legacy != nil else {
            throw FieldError(field: wardField, message: "Cần mã xã/phường (2025) hoặc mã xã cũ.")
        }
        return (ward, legacy)
    }
}
