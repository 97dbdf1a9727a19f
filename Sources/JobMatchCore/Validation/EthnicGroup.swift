import Foundation

/// One of Vietnam's 54 ethnic groups, by the General Statistics Office's code (the list of Decision
/// 1019/QĐ-TCTK of 12 November 2008, ordered by population). Workers record one of these, never
/// free text; Kinh (code 1) is the majority and every other group an ethnic minority.
public struct EthnicGroup: Sendable, Hashable {
    public let code: Int
    /// The official name as the centre writes it (NFC).
    public let name: String

    public var isMinority: Bool { self.code != 1 }

    /// The code written with two digits, as the GSO lists it ("05").
    public var codeText: String { self.code < 10 ? "0\(self.code)" : "\(self.code)" }

    /// The 54 groups, by code.
    public static let all: [EthnicGroup] = [
        "Kinh", "Tày", "Thái", "Mường", "Khơ-me", "Hoa", "Nùng", "Mông", "Dao", "Gia-rai",
        "Ê-đê", "Ba-na", "Sán Chay", "Chăm", "Cơ-ho", "Xơ-đăng", "Sán Dìu", "Hrê", "Ra-glai", "Mnông",
        "Thổ", "Xtiêng", "Khơ-mú", "Bru-Vân Kiều", "Cơ-tu", "Giáy", "Tà-ôi", "Mạ", "Giẻ-Triêng", "Co",
        "Chơ-ro", "Xinh-mun", "Hà Nhì", "Chu-ru", "Lào", "La Chí", "Kháng", "Phù Lá", "La Hủ", "La Ha",
        "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La",
        "Pu Péo", "Rơ-măm", "Brâu", "Ơ-đu",
    ].enumerated().map { EthnicGroup(code: $0.offset + 1, name: $0.element) }

    /// Other names people write for a group (folded as `key` folds them), mapped to its code.
    static let otherNames: [String: Int] = [
        "viet": 1, "kinhviet": 1, "nguoikinh": 1, "khmer": 5, "khmerkrom": 5, "khomekrom": 5, "mien": 5,
        "hoahan": 6, "han": 6, "hmong": 8, "meo": 8, "mongmeo": 8, "hmongmeo": 8, "jrai": 10, "giolai": 10, "gialai": 10,
        "rade": 11, "rhade": 11, "bahnar": 12, "sedang": 16, "stieng": 22, "khmu": 23, "bru": 24,
        "vankieu": 24, "katu": 25,
    ]

    private static let byKey: [String: EthnicGroup] = {
        var table: [String: EthnicGroup] = [:]
        for group in all { table[key(group.name)] = group }
        for (name, code) in otherNames { table[key(name)] = all[code - 1] }
        return table
    }()

    private static let byName: [String: EthnicGroup] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// Folds a name for comparison: lower case, no diacritics (đ as d), letters and digits only,
    /// so "H'Mông", "hmong" and "HMÔNG" meet. The migration folds stored values the same way.
    public static func key(_ text: String) -> String {
        let folded = AsciiText.fold(text.precomposedStringWithCanonicalMapping.lowercased())
        return String(String.UnicodeScalarView(folded.unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }))
    }

    /// The group a code ("5", "05"), an official name or a common other name stands for, however
    /// it is typed; nil when it names none of the 54.
    public static func resolve(_ text: String) -> EthnicGroup? {
        if let group = byName[text] { return group }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let code = Int(trimmed), trimmed.count <= 2 { return (1...54).contains(code) ? all[code - 1] : nil }
        return byKey[key(trimmed)]
    }

    /// An optional ethnicity field: empty is none; anything else must name one of the 54 groups.
    public static func validate(_ raw: String?, field: String = "ethnicity") throws(FieldError) -> EthnicGroup? {
        guard let raw, !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        guard let group = resolve(raw) else {
            throw FieldError(
                field: field,
                message: "Dân tộc phải là một trong 54 dân tộc theo danh mục của Tổng cục Thống kê (tên hoặc mã 01-54), ví dụ: Kinh, Khơ-me, Hoa."
            )
        }
        return group
    }
}
