/// How a clerk reads numbers and money: `75.000`, `6.500.000 ₫`, `73,4%` (days: `LocalDate.vietnamese`).
public enum VietnameseFormat {
    /// An integer with `.` between thousands (Vietnamese usage), e.g. `1.234.567`, `-5.000`.
    public static func number(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(character)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    public static func number(_ value: Int) -> String { self.number(Int64(value)) }

    /// A sum in đồng, e.g. `6.500.000 ₫`.
    public static func money(_ value: Int64) -> String { self.number(value) + " ₫" }

    /// A percentage with one decimal and a comma, e.g. `73,4%`.
    public static func percent(_ value: Double) -> String {
        self.decimal(value) + "%"
    }

    /// A number with one decimal and a comma, e.g. `12,5`.
    public static func decimal(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        let whole = self.number(tenths / 10)
        return "\(tenths < 0 && tenths / 10 == 0 ? "-" : "")\(whole),\(abs(tenths % 10))"
    }

    /// A month as `mm/yyyy`.
    public static func month(year: Int, month: Int) -> String {
        (month < 10 ? "0\(month)" : "\(month)") + "/\(year)"
    }
}
