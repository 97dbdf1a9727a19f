/// Vietnamese names of the destination markets of labour abroad (ISO 3166-1 alpha-2); other codes
/// are shown as they are.
public enum CountryNames {
    public static func vietnamese(_ code: String) -> String { self.names[code] ?? code }

    static let names: [String: String] = [
        "JP": "Nhật Bản", "KR": "Hàn Quốc", "TW": "Đài Loan (Trung Quốc)", "CN": "Trung Quốc", "DE": "Đức", "RO": "Romania",
        "HU": "Hungary", "PL": "Ba Lan", "CZ": "Séc", "SK": "Slovakia", "BG": "Bulgaria", "RU": "Nga", "SA": "Ả Rập Xê Út",
        "AE": "Các Tiểu vương quốc Ả Rập Thống nhất", "QA": "Qatar", "KW": "Kuwait", "MY": "Malaysia", "SG": "Singapore",
        "TH": "Thái Lan", "LA": "Lào", "KH": "Campuchia", "AU": "Úc", "NZ": "New Zealand", "CA": "Canada", "US": "Hoa Kỳ",
        "GB": "Anh", "FR": "Pháp", "IT": "Ý", "IL": "Israel", "MO": "Ma Cao (Trung Quốc)", "HK": "Hồng Kông (Trung Quốc)",
        "DZ": "Algeria", "MN": "Mông Cổ", "VN": "Việt Nam",
    ]
}
