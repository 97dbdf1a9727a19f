import JobMatchCore
import Logging
import PostgresNIO

/// The corrections section of a monthly export: how the counted placements of the period's
/// earlier months differ now from what they were at the end of the month before (when the
/// previous month was reported). A reversal, a late entry or a merge recorded since then shows
/// here, once, instead of silently changing a number already sent.
struct PlacementCorrections {
    let connection: PostgresConnection
    let logger: Logger
    let spec: PlacementExportSpec

    static let header = [
        "Tháng", "Điều chỉnh", "Lý do", "Họ và tên", "Năm sinh", "CCCD", "Kênh", "Ngày bắt đầu / ngày xuất cảnh", "Ngày ghi nhận thay đổi",
    ]

    /// The section's rows (a few: only what changed), read before they are written so that they
    /// can be read while the list streams.
    func rows(month: Month, counting: ExportCounting) async throws -> [[TableCell]] {
        let reported = month.firstDay.adding(days: -1)  // the day the previous report stood at
        guard self.spec.asOf >= month.firstDay, reported >= counting.start else { return [] }
        let (start, last, asOf) = (counting.start.description, reported.description, self.spec.asOf.description)
        // Only the people whose entries (or merges) changed between the two moments can differ:
        // their worker records, with every record merged with them, are counted at both moments.
        let touched = try await self.connection.query(
            """
            WITH touched AS (
                SELECT p.worker_id FROM placements p
                WHERE p.recorded_at >= end_of_day(\(last)::date) AND p.recorded_at < end_of_day(\(asOf)::date)
                  AND p.start_date BETWEEN \(start)::date AND \(last)::date
                UNION SELECT o.worker_id FROM placements r JOIN placements o ON o.id = r.reverses_id
                WHERE r.recorded_at >= end_of_day(\(last)::date) AND r.recorded_at < end_of_day(\(asOf)::date)
                  AND r.reverses_id IS NOT NULL
                  AND o.start_date BETWEEN \(start)::date AND \(last)::date
                UNION SELECT p.worker_id FROM placements p
                WHERE p.confirmed_at >= end_of_day(\(last)::date) AND p.confirmed_at < end_of_day(\(asOf)::date)
                  AND p.start_date BETWEEN \(start)::date AND \(last)::date
                UNION SELECT unnest(ARRAY[m.merged_id, m.kept_id]) FROM worker_merges m
                WHERE (m.merged_at >= end_of_day(\(last)::date) AND m.merged_at < end_of_day(\(asOf)::date))
                   OR (m.undone_at >= end_of_day(\(last)::date) AND m.undone_at < end_of_day(\(asOf)::date))
            ), people AS (
                SELECT worker_id AS id FROM touched
                UNION SELECT m.kept_id FROM worker_merges m JOIN touched t ON t.worker_id = m.merged_id
            )
            SELECT id FROM people UNION SELECT m.merged_id FROM worker_merges m JOIN people ON people.id = m.kept_id
            """,
            logger: self.logger
        ).decode(Int64.self).collect()
        guard !touched.isEmpty else { return [] }
        // The list is written as a value (numbers only), so PostgreSQL finds their placements by index.
        let people = "ARRAY[\(touched.map(String.init).joined(separator: ","))]::bigint[]"
        let rows = try await self.connection.query(
            """
            WITH b AS (SELECT * FROM \(unescaped: counting.source(upTo: reported, asOf: reported, abroad: false, onlyWorkers: people))),
            n AS (SELECT * FROM \(unescaped: counting.source(upTo: reported, asOf: self.spec.asOf, abroad: false, onlyWorkers: people))),
            diff AS (
                SELECT false AS added, b.* FROM b WHERE NOT EXISTS (SELECT 1 FROM n WHERE n.placement_id = b.placement_id)
                UNION ALL
                SELECT true, n.* FROM n WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.placement_id = n.placement_id)
            )
            SELECT diff.added, to_char(diff.counting_date, 'MM/YYYY'), r.id IS NOT NULL, r.reason,
                   to_char(r.recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD'),
                   p.recorded_at >= end_of_day(\(last)::date), to_char(p.recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD'),
                   pw.full_name, date_part('year', pw.birth_date)::int, pw.cccd, p.channel, diff.counting_date::text,
                   CASE WHEN p.confirmed_at >= end_of_day(\(last)::date)
                        THEN to_char(p.confirmed_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') END
            FROM diff JOIN placements p ON p.id = diff.placement_id JOIN workers pw ON pw.id = diff.person_id
            LEFT JOIN placements r ON r.reverses_id = p.id AND r.recorded_at < end_of_day(\(asOf)::date)
            ORDER BY diff.counting_date, diff.placement_id, diff.added
            """,
            logger: self.logger
        )
        var cells: [[TableCell]] = []
        for try await row in rows {
            let (added, monthText, reversed, reason, reversedOn, late, recordedOn, name, birthYear, cccd, channel, start, confirmedOn) =
                try row.decode((Bool, String, Bool, String?, String?, Bool, String, String, Int?, String?, String, String, String?).self)
            let why: String
            var changedOn: String?
            if !added && reversed {
                why = "Đã hủy ghi nhận" + (reason.map { ": \($0)" } ?? "")
                changedOn = reversedOn
            } else if !added {
                why = "Người này được tính ở lần có việc làm khác (ghi nhận bổ sung hoặc gộp hồ sơ trùng)"
            } else if let confirmedOn, !late {
                why = "Doanh nghiệp báo tuyển; cán bộ xác nhận sau khi tháng đã được báo cáo"
                changedOn = confirmedOn
            } else if late {
                why = "Ghi nhận sau khi tháng đã được báo cáo"
                changedOn = recordedOn
            } else {
                why = "Được tính thay cho lần có việc làm đã hủy hoặc do gộp/tách hồ sơ"
            }
            cells.append([
                .text(monthText), .text(added ? "Bổ sung" : "Loại khỏi số liệu"), .text(why), .text(name), .integer(birthYear.map(Int64.init)),
                .text(cccd.map { self.spec.fullCCCD ? $0 : CitizenID.masked($0) }),
                .text(PlacementLedger.Channel(rawValue: channel)?.vietnamese ?? channel), LocalDate(start).map { .date($0) } ?? .text(start),
                changedOn.flatMap { LocalDate($0) }.map { .date($0) } ?? .empty,
            ])
        }
        return cells
    }
}
