/// One member row of a commune's annual list, validated without a database.
public struct WorkerImportRow: Sendable, Equatable {
    /// 1-based line number in the file (the header is line 1).
    public var line: Int
    public var fullName: String
    public var cccd: String?
    /// The old 9-digit identity card number, when the list gives one.
    public var cmnd: String? = nil
    public var birthDate: LocalDate
    public var sex: Sex
    public var wardCode: String?
    public var legacyWardCode: String?
    public var phone: String?
    public var ethnicity: String?
    public var occupationCodes: [String]
    public var householdCode: String?
    public var headName: String?
    public var householdStatus: HouseholdStatus?
    public var statusValidFrom: LocalDate?
    public var decisionRef: String?
}
