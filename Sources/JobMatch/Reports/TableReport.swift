import JobMatchCore
import Logging
import PostgresNIO

/// The other reports staff download (CSV or XLSX): each a titled table from one query over the
/// registry as it is now. The query's columns come in the order and kinds of `columns`.
public struct TableReport: Sendable {
    /// How a column is read from the query and written to the file.
    enum Kind: Sendable { case text, integer, date, percent }

    public let key: String
    public let title: String
    let columns: [(title: String, kind: Kind)]
    let sql: String

    public static let all: [TableReport] = [workersByStatusAndWard, openVacancies, trainingCompletion, overseasContracts]

    public static func named(_ key: String) -> TableReport? { all.first { $0.key == key } }

    /// Registered people (not merged away, not anonymised) by 2025 ward and job-seeking status.
    static let workersByStatusAndWard = TableReport(
        key: "workers-by-status-ward",
        title: "Người lao động đăng ký theo tình trạng và xã/phường",
        columns: [
            ("Mã xã/phường (2025)", .text), ("Xã/phường (2025)", .text), ("Huyện cũ", .text), ("Tình trạng", .text),
            ("Số người", .integer), ("Nữ", .integer), ("Thuộc hộ nghèo, cận nghèo (hiện nay)", .integer),
        ],
        sql: """
            SELECT w.ward_code, wd.ward_name, COALESCE(ld.district_name, ''),
                   CASE w.job_seeking_status WHEN 'seeking' THEN 'Đang tìm việc' WHEN 'employed' THEN 'Đã có việc làm'
                        WHEN 'not_seeking' THEN 'Không tìm việc' ELSE w.job_seeking_status END,
                   count(*), count(*) FILTER (WHERE w.sex = 'female'),
                   count(*) FILTER (WHERE household_status_on(w.household_id, CURRENT_DATE) IN ('poor', 'near_poor'))
            FROM workers w JOIN wards_2025 wd ON wd.ward_code = w.ward_code
            LEFT JOIN legacy_districts ld ON ld.district_code = legacy_district_of(w.legacy_ward_code, w.ward_code)
            WHERE w.merged_into IS NULL AND w.anonymised_at IS NULL
            GROUP BY w.ward_code, wd.ward_name, ld.district_name, w.job_seeking_status
            ORDER BY w.ward_code, w.job_seeking_status
            """
    )

    /// Open vacancies with their slots, hires and slots still unfilled.
    static let openVacancies = TableReport(
        key: "open-vacancies",
        title: "Vị trí đang tuyển và chỗ còn trống",
        columns: [
            ("Mã vị trí", .integer), ("Vị trí", .text), ("Doanh nghiệp", .text), ("Mã nghề", .text), ("Nghề", .text),
            ("Xã/phường (2025)", .text), ("Số chỗ", .integer), ("Đã tuyển", .integer), ("Còn trống", .integer), ("Hạn nộp", .date),
        ],
        sql: """
            SELECT v.id, v.title, e.name, v.occupation_code, COALESCE(o.title_vi, o.title_en), wd.ward_name,
                   v.slots, v.slots_filled, v.slots - v.slots_filled, v.closing_date::text
            FROM vacancies v JOIN employers e ON e.id = v.employer_id JOIN wards_2025 wd ON wd.ward_code = v.ward_code
            LEFT JOIN occupations o ON o.code = v.occupation_code
            WHERE v.status = 'open'
            ORDER BY v.closing_date NULLS LAST, v.id
            """
    )

    /// Each course with its enrolments, completions and drop-outs.
    static let trainingCompletion = TableReport(
        key: "training-completion",
        title: "Kết quả đào tạo theo khóa học và nghề",
        columns: [
            ("Mã nghề", .text), ("Nghề", .text), ("Khóa học", .text), ("Trình độ", .text), ("Bắt đầu", .date), ("Kết thúc", .date),
            ("Ghi danh", .integer), ("Hoàn thành", .integer), ("Bỏ học", .integer), ("Tỷ lệ hoàn thành (%)", .percent),
        ],
        sql: """
            SELECT c.occupation_code, COALESCE(o.title_vi, o.title_en), c.title,
                   CASE c.level WHEN 'under_3_months' THEN 'Dưới 3 tháng' WHEN 'so_cap' THEN 'Sơ cấp' WHEN 'trung_cap' THEN 'Trung cấp'
                        WHEN 'cao_dang' THEN 'Cao đẳng' ELSE c.level END,
                   c.start_date::text, c.end_date::text, count(e.id),
                   count(e.id) FILTER (WHERE e.status = 'completed'), count(e.id) FILTER (WHERE e.status = 'dropped'),
                   CASE WHEN count(e.id) > 0 THEN round(100.0 * count(e.id) FILTER (WHERE e.status = 'completed') / count(e.id), 2) END::float8
            FROM courses c LEFT JOIN enrolments e ON e.course_id = c.id LEFT JOIN occupations o ON o.code = c.occupation_code
            GROUP BY c.id, o.title_vi, o.title_en
            ORDER BY c.occupation_code, c.start_date, c.id
            """
    )

    /// Overseas contracts by sending enterprise and destination: signed, departed, returned early,
    /// abroad now.
    static let overseasContracts = TableReport(
        key: "overseas-contracts",
        title: "Hợp đồng đi làm việc ở nước ngoài theo doanh nghiệp và thị trường",
        columns: [
            ("Doanh nghiệp đưa đi", .text), ("Nước đến", .text), ("Hợp đồng", .integer), ("Đã xuất cảnh", .integer),
            ("Về nước trước hạn", .integer), ("Đang ở nước ngoài", .integer),
        ],
        sql: """
            SELECT COALESCE(oe.name, 'Không qua doanh nghiệp'), oc.country, count(*), count(oc.departure_date),
                   count(oc.early_return_date),
                   count(*) FILTER (WHERE oc.departure_date IS NOT NULL AND oc.early_return_date IS NULL
                                    AND oc.departure_date + make_interval(months => oc.term_months) > CURRENT_DATE)
            FROM overseas_contracts oc LEFT JOIN overseas_enterprises oe ON oe.id = oc.enterprise_id
            GROUP BY oe.name, oc.country
            ORDER BY 1, 2
            """
    )

    /// Writes the report to `writer`, streaming its rows.
    func write(
        on connection: PostgresConnection,
        logger: Logger,
        to writer: any TableWriter,
        flush: ([UInt8]) async throws -> Void
    ) async throws {
        try writer.beginSection(self.title, header: self.columns.map(\.title))
        let rows = try await connection.query(PostgresQuery(unsafeSQL: self.sql), logger: logger)
        for try await row in rows {
            var cells: [TableCell] = []
            for (index, cell) in row.enumerated() {
                switch self.columns[index].kind {
                case .text: cells.append(.text(try cell.decode(String?.self)))
                case .integer: cells.append(.integer(try cell.decode(Int64?.self)))
                case .date: cells.append(try cell.decode(String?.self).flatMap { LocalDate($0) }.map { .date($0) } ?? .empty)
                case .percent: cells.append(try cell.decode(Double?.self).map { .decimal($0, places: 2) } ?? .empty)
                }
            }
            try writer.row(cells)
            if writer.pendingCount >= 1 << 16 { try await flush(writer.drain()) }
        }
        try writer.finish()
        try await flush(writer.drain())
    }
}
