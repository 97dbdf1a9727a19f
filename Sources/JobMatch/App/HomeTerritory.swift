/// The provinces the centre serves (`HOME_PROVINCE`): one or several legacy (pre-2025) provinces,
/// `93` or `92,93,94`, or a 2025 province written `2025:92` (the merged Cần Thơ: old Cần Thơ, Hậu
/// Giang and Sóc Trăng). Forms offer the wards of all of them.
public struct HomeTerritory: Sendable, Equatable {
    public var legacyProvinces: [String]
    public var provinces2025: [String]

    public init(legacyProvinces: [String] = ["93"], provinces2025: [String] = []) {
        self.legacyProvinces = legacyProvinces
        self.provinces2025 = provinces2025
    }

    /// Reads `HOME_PROVINCE`; nil when any part is not a two-digit code (optionally `2025:`-prefixed).
    public init?(parsing text: String) {
        var legacy: [String] = []
        var current: [String] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let is2025 = part.hasPrefix("2025:")
            let code = is2025 ? String(part.dropFirst(5)) : part
            guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            if is2025 { current.append(code) } else { legacy.append(code) }
        }
        guard !legacy.isEmpty || !current.isEmpty else { return nil }
        self.init(legacyProvinces: legacy, provinces2025: current)
    }
}
