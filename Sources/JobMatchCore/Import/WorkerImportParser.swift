import Foundation

/// Reads a commune's list of workers (members of poor and near-poor households) from CSV with a
/// Vietnamese or English header, validating every row and naming each bad cell.
public struct WorkerImportParser: Sendable {
    /// The columns a file may have; each accepts Vietnamese and English headers.
    public enum Column: String, CaseIterable, Sendable {
        case fullName = "full_name"
        case cccd
        case cmnd
        case birthDate = "birth_date"
        case sex
        case wardCode = "ward_code"
        case legacyWardCode = "legacy_ward_code"
        case phone
        case ethnicity
        case occupationCodes = "occupation_codes"
        case householdCode = "household_code"
        case headName = "head_name"
        case householdStatus = "household_status"
        case statusValidFrom = "status_valid_from"
        case decisionRef = "decision_ref"

        /// Header spellings accepted (compared without diacritics, case or spaces).
        var aliases: [String] {
            switch self {
            case .fullName: ["full_name", "họ và tên", "họ tên", "ho va ten"]
            case .cccd: ["cccd", "số cccd", "số định danh", "căn cước công dân"]
            case .cmnd: ["cmnd", "số cmnd", "chứng minh nhân dân"]
            case .birthDate: ["birth_date", "ngày sinh"]
            case .sex: ["sex", "giới tính"]
            case .wardCode: ["ward_code", "mã xã/phường", "mã xã", "mã phường"]
            case .legacyWardCode: ["legacy_ward_code", "mã xã cũ", "mã xã/phường cũ"]
            case .phone: ["phone", "số điện thoại", "điện thoại"]
            case .ethnicity: ["ethnicity", "dân tộc"]
            case .occupationCodes: ["occupation_codes", "mã nghề", "nghề"]
            case .householdCode: ["household_code", "mã hộ"]
            case .headName: ["head_name", "chủ hộ", "họ tên chủ hộ"]
            case .householdStatus: ["household_status", "tình trạng hộ", "phân loại hộ"]
            case .statusValidFrom: ["status_valid_from", "hiệu lực từ", "ngày công nhận"]
            case .decisionRef: ["decision_ref", "quyết định", "số quyết định"]
            }
        }
    }

    /// Header names of the error column this parser writes and ignores on re-import.
    public static let errorColumnAliases = ["lỗi", "loi", "errors", "error"]
    /// The error column's header in files we write.
    public static let errorColumnTitle = "Lỗi"

    /// The parsed file: good rows, errors, and the raw cells of every data line for the error file.
    public struct Result: Sendable {
        public var header: [String]
        public var rows: [WorkerImportRow]
        public var errors: [ImportError]
        public var rawLines: [Int: [String]]
    }

    public let today: LocalDate

    public init(today: LocalDate) {
        self.today = today
    }

    /// Parses and validates the whole text; a file-level problem is an error on line 1.
    public func parse(_ text: String) -> Result {
        let table: [[String]]
        do {
            table = try CSVReader.parse(text)
        } catch {
            return Result(
                header: [],
                rows: [],
                errors: [ImportError(line: 1, column: "", message: "Tệp CSV không đọc được: \(error).")],
                rawLines: [:]
            )
        }
        guard let header = table.first else {
            return Result(header: [], rows: [], errors: [ImportError(line: 1, column: "", message: "Tệp trống.")], rawLines: [:])
        }
        var columns: [Column: Int] = [:]
        var errors: [ImportError] = []
        for (index, title) in header.enumerated() {
            let key = Self.fold(title)
            if Self.errorColumnAliases.map(Self.fold).contains(key) || key.isEmpty { continue }
            guard let column = Column.allCases.first(where: { $0.aliases.map(Self.fold).contains(key) }) else {
                errors.append(ImportError(line: 1, column: title, message: "Cột '\(title)' không được hỗ trợ."))
                continue
            }
            columns[column] = index
        }
        for required in [Column.fullName, .birthDate, .sex] where columns[required] == nil {
            errors.append(
                ImportError(line: 1, column: required.rawValue, message: "Thiếu cột bắt buộc '\(required.aliases[1])' (\(required.rawValue)).")
            )
        }
        if columns[.wardCode] == nil && columns[.legacyWardCode] == nil {
            errors.append(ImportError(line: 1, column: "ward_code", message: "Cần cột mã xã/phường (ward_code) hoặc mã xã cũ (legacy_ward_code)."))
        }
        guard errors.isEmpty else { return Result(header: header, rows: [], errors: errors, rawLines: [:]) }

        var rows: [WorkerImportRow] = []
        var rawLines: [Int: [String]] = [:]
        for (offset, cells) in table.dropFirst().enumerated() where !(cells.allSatisfy { $0.trimmingWhitespace().isEmpty }) {
            let line = offset + 2
            rawLines[line] = cells
            let cell = { (column: Column) -> String? in
                guard let index = columns[column], index < cells.count else { return nil }
                var value = CleanText.normalize(cells[index])
                // Undo the apostrophe our CSV writer puts before a cell that looks like a formula.
                if value.hasPrefix("'"), let second = value.dropFirst().first, "=+-@".contains(second) { value.removeFirst() }
                return value.isEmpty ? nil : value
            }
            var rowErrors: [ImportError] = []
            func fail(_ column: Column, _ message: String) { rowErrors.append(ImportError(line: line, column: column.rawValue, message: message)) }
            func check<T>(_ column: Column, _ body: () throws(FieldError) -> T) -> T? {
                do { return try body() } catch {
                    fail(column, error.message)
                    return nil
                }
            }

            let name = check(.fullName) { () throws(FieldError) in try CleanText.required(cell(.fullName), field: "full_name", label: "Họ và tên") }
            let birth = Self.date(cell(.birthDate))
            if birth == nil { fail(.birthDate, "Ngày sinh phải có dạng dd/mm/yyyy hoặc yyyy-mm-dd.") }
            if let birth { _ = check(.birthDate) { () throws(FieldError) in try WorkerRules.checkBirth(birth, today: self.today) } }
            let sex = Self.sex(cell(.sex))
            if sex == nil { fail(.sex, "Giới tính phải là Nam hoặc Nữ.") }
            var cccd: String? = nil
            if let raw = cell(.cccd), let birth, let sex {
                cccd = check(.cccd) { () throws(FieldError) in try CitizenID.validate(raw, birthDate: birth, sex: sex) }
            }
            let cmnd = cell(.cmnd).flatMap { raw in check(.cmnd) { () throws(FieldError) in try CitizenID.validateOldID(raw) } }
            let ward = cell(.wardCode)
            let legacy = cell(.legacyWardCode)
            for case let (value?, column) in [(ward, Column.wardCode), (legacy, .legacyWardCode)] {
                _ = check(column) { () throws(FieldError) in try WorkerRules.wardCode(value, field: column.rawValue) }
            }
            if ward == nil && legacy == nil {
                _ = check(.wardCode) { () throws(FieldError) in try WorkerRules.place(ward: nil, legacyWard: nil) }
            }
            let phone = cell(.phone).flatMap { raw in check(.phone) { () throws(FieldError) in try PhoneNumber.normalize(raw) } }
            let ethnicity = check(.ethnicity) { () throws(FieldError) in try EthnicGroup.validate(cell(.ethnicity), field: "ethnicity") }
            let occupations = (cell(.occupationCodes) ?? "").split(whereSeparator: { $0 == ";" || $0 == " " }).map(String.init)
            if occupations.contains(where: { code in (try? WorkerRules.occupationCode(code, field: Column.occupationCodes.rawValue)) == nil }) {
                fail(.occupationCodes, "Mã nghề phải gồm 1 đến 4 chữ số, cách nhau bằng dấu chấm phẩy.")
            }
            let householdCode = cell(.householdCode)
            var status: HouseholdStatus? = nil
            var validFrom: LocalDate? = nil
            if householdCode != nil {
                status = Self.status(cell(.householdStatus))
                if status == nil { fail(.householdStatus, "Tình trạng hộ không hợp lệ (hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo, ...).") }
                validFrom = Self.date(cell(.statusValidFrom))
                if validFrom == nil { fail(.statusValidFrom, "Ngày công nhận phải có dạng dd/mm/yyyy hoặc yyyy-mm-dd.") }
                if cell(.headName) == nil { fail(.headName, "Thiếu họ tên chủ hộ.") }
            }
            guard rowErrors.isEmpty, let name, let birth, let sex else {
                errors += rowErrors
                continue
            }
            rows.append(
                WorkerImportRow(
                    line: line,
                    fullName: name,
                    cccd: cccd,
                    cmnd: cmnd,
                    birthDate: birth,
                    sex: sex,
                    wardCode: ward,
                    legacyWardCode: legacy,
                    phone: phone,
                    ethnicity: ethnicity??.name,
                    occupationCodes: Array(Set(occupations)).sorted(),
                    householdCode: householdCode,
                    headName: cell(.headName),
                    householdStatus: status,
                    statusValidFrom: validFrom,
                    decisionRef: cell(.decisionRef)
                )
            )
        }
        // The same CCCD twice in one file: the later lines are errors.
        var seen: [String: Int] = [:]
        rows = rows.filter { row in
            guard let cccd = row.cccd else { return true }
            if let first = seen[cccd] {
                errors.append(ImportError(line: row.line, column: "cccd", message: "Số CCCD trùng với dòng \(first) trong cùng tệp."))
                return false
            }
            seen[cccd] = row.line
            return true
        }
        return Result(header: header, rows: rows, errors: errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }, rawLines: rawLines)
    }

    /// `dd/mm/yyyy` or `yyyy-mm-dd`.
    static func date(_ text: String?) -> LocalDate? {
        guard let text else { return nil }
        if let iso = LocalDate(text) { return iso }
        let parts = text.split(separator: "/")
        guard parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]), parts[2].count == 4 else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    static func sex(_ text: String?) -> Sex? {
        switch text {
        case "Nam", "nam", "male": return .male
        case "Nữ", "nữ", "female": return .female
        default: break
        }
        return switch text.map(fold) {
        case "nam", "male", "m": .male
        case "nu", "female", "f": .female
        default: nil
        }
    }

    static func status(_ text: String?) -> HouseholdStatus? {
        guard let text else { return nil }
        if let raw = HouseholdStatus(rawValue: text) { return raw }
        let key = fold(text)
        if let raw = HouseholdStatus(rawValue: key) { return raw }
        return HouseholdStatus.allCases.first { fold($0.vietnamese) == key || fold(String($0.vietnamese.dropFirst(3))) == key }
    }

    /// Lower case, no diacritics (đ -> d), no spaces: for comparing headers and words.
    static func fold(_ text: String) -> String {
        AsciiText.fold(CleanText.normalize(text).lowercased()).replacingOccurrences(of: " ", with: "")
    }
}
