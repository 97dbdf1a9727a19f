import JobMatchCore

/// The department's report as an XLSX form for A4 (portrait, one page wide): the issuing unit and
/// the national motto side by side, the number and date lines, the title, "Kính gửi", the
/// indicators against the plan, the breakdowns and the two signature blocks, in the layout of the
/// printed page (`report_print.mustache`), with the figures as numbers.
struct DepartmentReportForm {
    let report: PrintableReport
    let issuer: String
    let recipient: String
    /// "ngày 7 tháng 12 năm 2026".
    let dateLine: String

    /// The indicator table's columns, in order, with their headings.
    private var columns: [(heading: String, width: Double)] {
        var columns: [(String, Double)] = [("TT", 5), ("Chỉ tiêu", 30)]
        switch self.report.kind {
        case .month: columns += [("Trong tháng", 10), ("Lũy kế năm", 10)]
        case .year: columns += [("Trong năm", 11)]
        }
        columns += [("Lũy kế giai đoạn", 11), ("Kế hoạch", 11), ("Tỷ lệ", 9), ("Cần đạt mỗi tháng còn lại", 11), ("Cách tính", 24)]
        return columns
    }

    func bytes() throws -> [UInt8] {
        let columns = self.columns
        var form = XLSXForm(widths: columns.map(\.width))
        let last = columns.count - 1
        let split = 2  // the issuing unit takes the first three columns, the motto the rest
        form.spans([(0, split, self.issuer.uppercased(), .boldCentered), (split + 1, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", .boldCentered)])
        form.spans([(0, split, "Số: ........../BC-TTDVVL", .centered), (split + 1, last, "Độc lập - Tự do - Hạnh phúc", .boldCentered)])
        form.spans([(split + 1, last, "........, " + self.dateLine, .italicCentered)])
        form.gap(12)
        form.spans([(0, last, "BÁO CÁO\nKết quả giải quyết việc làm " + self.report.kind.label, .title)])
        form.spans([(0, last, "Kính gửi: " + self.recipient, .centered)])
        form.gap()
        form.spans([
            (
                0, last,
                "Số liệu tính đến hết ngày \(self.report.asOf.vietnamese), theo Kế hoạch giải quyết việc làm của tỉnh; "
                    + "mỗi chỉ tiêu tính theo cách tính của chỉ tiêu đó (ghi ở cột “Cách tính”).", .plain
            )
        ])
        form.spans([(0, last, "I. Kết quả thực hiện các chỉ tiêu", .bold)])
        if self.report.indicators.isEmpty {
            form.spans([(0, last, "Không có chỉ tiêu nào của năm \(self.report.kind.lastDay.year).", .plain)])
        } else {
            form.tableRow(columns.map { .text($0.heading) }, header: true)
            let paceColumn = columns.count - 2
            for (index, indicator) in self.report.indicators.enumerated() {
                var values: [XLSXForm.Value] = [.text("\(index + 1)"), .text(indicator.title), .number(Double(indicator.inRange))]
                if case .month = self.report.kind { values.append(.number(Double(indicator.yearToDate))) }
                values += [.number(Double(indicator.periodToDate)), .number(Double(indicator.plan)), .number(indicator.percent)]
                values += [indicator.pace.map { .number($0) } ?? .text(""), .text(indicator.basis)]
                form.tableRow(values, decimals: [paceColumn - 1, paceColumn])
            }
        }
        form.gap()
        form.spans([(0, last, "II. Người được giải quyết việc làm trong \(self.report.kind.unit), theo nhóm", .bold)])
        if self.report.breakdowns.isEmpty {
            form.spans([(0, last, "Không có người nào được tính trong \(self.report.kind.unit).", .plain)])
        }
        for breakdown in self.report.breakdowns {
            form.tableRow([.text(breakdown.title), .text("Số người")], from: 1, header: true)
            for group in breakdown.groups {
                form.tableRow([.text(group.name), .number(Double(group.count))], from: 1)
            }
        }
        form.gap(18)
        form.spans([(0, split, "NGƯỜI LẬP BIỂU", .boldCentered), (last - 3, last, "GIÁM ĐỐC", .boldCentered)])
        form.spans([(0, split, "(Ký, ghi rõ họ tên)", .italicCentered), (last - 3, last, "(Ký tên, đóng dấu)", .italicCentered)])
        return try form.bytes(sheet: "Báo cáo " + self.report.kind.label.replacingOccurrences(of: "/", with: "-"))
    }
}
