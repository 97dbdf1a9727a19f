import Foundation
import JobMatchCore

/// A target's progress as an SVG line chart drawn on the server (no script, no external library):
/// the placements counted so far, month by month, against the target line, with the pace still
/// needed as a dashed line from today's figure to the target at the period's end.
enum ProgressChart {
    static let width = 640.0
    static let height = 240.0
    static let left = 64.0
    static let bottom = 28.0
    static let top = 12.0
    static let right = 12.0

    /// The chart, its spoken label put into the reader's language by `words`.
    static func svg(_ target: ProgressReport.TargetProgress, asOf: LocalDate, words: (String) -> String = { $0 }) -> String {
        guard let start = LocalDate(target.periodStart), let end = LocalDate(target.periodEnd) else { return "" }
        let months = ProgressReport.months(from: start, to: end)
        let elapsed = max(0, min(months, ProgressReport.months(from: start, to: asOf)))
        let highest = Double(max(target.target, target.count, target.forecastAtPeriodEnd ?? 0, 1))
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(_ month: Int) -> Double { left + plotWidth * Double(month) / Double(max(months, 1)) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - value / highest) }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }

        // Cumulative count at the end of each elapsed month (months without placements carry on).
        var byMonth: [String: Int64] = [:]
        for month in target.monthly { byMonth[month.month] = month.cumulative }
        var points = ["\(f(x(0))),\(f(y(0)))"]
        var running: Int64 = 0
        var month = Month(year: start.year, month: start.month)!
        for index in 0..<elapsed {
            running = byMonth[month.description] ?? running
            points.append("\(f(x(index + 1))),\(f(y(Double(running))))")
            month = month.next
        }
        let label = words(
            "\(target.title): \(VietnameseFormat.number(target.count)) trên \(VietnameseFormat.number(target.target)) (\(VietnameseFormat.percent(target.percent)))"
        )
        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(Self.escape(label))" xmlns="http://www.w3.org/2000/svg">
            <title>\(Self.escape(label))</title>
            <line class="axis" x1="\(f(left))" y1="\(f(y(0)))" x2="\(f(width - right))" y2="\(f(y(0)))"/>
            <line class="axis" x1="\(f(left))" y1="\(f(top))" x2="\(f(left))" y2="\(f(y(0)))"/>
            <line class="target" x1="\(f(left))" y1="\(f(y(Double(target.target))))" x2="\(f(width - right))" y2="\(f(y(Double(target.target))))"/>
            <text class="tick" x="\(f(left - 6))" y="\(f(y(Double(target.target)) + 4))" text-anchor="end">\(VietnameseFormat.number(target.target))</text>
            <text class="tick" x="\(f(left - 6))" y="\(f(y(0) + 4))" text-anchor="end">0</text>
            <polyline class="actual" points="\(points.joined(separator: " "))"/>
            """
        if elapsed < months {
            svg +=
                "<line class=\"pace\" x1=\"\(f(x(elapsed)))\" y1=\"\(f(y(Double(running))))\" x2=\"\(f(x(months)))\" y2=\"\(f(y(Double(target.target))))\"/>"
        }
        for year in start.year...end.year {
            let index = (year - start.year) * 12 - (start.month - 1)
            guard index >= 0, index <= months else { continue }
            svg += "<text class=\"tick\" x=\"\(f(x(index)))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(year)</text>"
        }
        return svg + "</svg>"
    }

    /// Text for an SVG attribute or element.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
