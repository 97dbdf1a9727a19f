import JobMatchCore
import Logging
import PostgresNIO

/// The placements whose start (or departure) date falls in a month, as the CSV the department
/// receives: UTF-8 with BOM, CRLF, Vietnamese headers, CCCD masked. The CLI and the staff API
/// produce the same bytes from this one type.
struct MonthlyPlacementExport {
    let connection: PostgresConnection
    let logger: Logger

    static let header = [
        "STT", "Họ và tên", "Năm sinh", "Giới tính", "CCCD", "Tình trạng hộ", "Mã xã/phường (2025)", "Xã/phường (2025)",
        "Mã nghề", "Nghề", "Đơn vị sử dụng lao động", "Nước đến", "Kênh", "Ngày bắt đầu / ngày xuất cảnh", "Mức lương (VND/tháng)",
    ]

    /// The whole CSV file for `month`.
    func csv(month: Month) async throws -> [UInt8] {
        let writer = CSVWriter()
        var bytes = CSVWriter.byteOrderMark + writer.row(Self.header)
        let rows = try await self.connection.query(
            """
            SELECT w.full_name, date_part('year', w.birth_date)::int, w.sex, w.cccd,
                   household_status_on(w.household_id, p.start_date),
                   w.ward_code, wd.ward_name, p.occupation_code, COALESCE(o.title_vi, o.title_en), e.name, p.destination_country,
                   p.channel, p.start_date::text, p.wage_vnd
            FROM live_placements() p
            JOIN workers w ON w.id = p.worker_id
            JOIN wards_2025 wd ON wd.ward_code = w.ward_code
            LEFT JOIN occupations o ON o.code = p.occupation_code
            LEFT JOIN employers e ON e.id = p.employer_id
            WHERE p.start_date >= \(month.firstDay.description)::date AND p.start_date < \(month.endExclusive.description)::date
            ORDER BY p.start_date, p.id
            """, logger: self.logger)
        var number = 0
        typealias Row = (String, Int, String, String?, String, String, String, String?, String?, String?, String?, String, String, Int64?)
        for try await r in rows.decode(Row.self) {
            number += 1
            let start = LocalDate(r.12)
            bytes += writer.row([
                "\(number)", r.0, "\(r.1)", (Sex(rawValue: r.2) ?? .male).vietnamese, r.3.map(CitizenID.masked) ?? "",
                (HouseholdStatus(rawValue: r.4) ?? .none).vietnamese, r.5, r.6, r.7 ?? "", r.8 ?? "", r.9 ?? "", r.10 ?? "",
                PlacementLedger.Channel(rawValue: r.11)?.vietnamese ?? r.11, start?.vietnamese ?? r.12, r.13.map { "\($0)" } ?? "",
            ])
        }
        return bytes
    }
}
