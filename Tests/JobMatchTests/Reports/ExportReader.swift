import Foundation
import JobMatchCore

/// Reads an export back with an independent reader (openpyxl from PyPI for XLSX, Python's csv
/// module for CSV, through Tests/tools/read_table.py): sheets of rows of (type, text) cells.
enum ExportReader {
    static let openpyxlVersion = "3.1.5"

    /// One cell as the reader saw it: openpyxl's type ('s', 'n', 'd', 'f') or 'csv', and its text.
    struct Cell: Equatable, CustomStringConvertible {
        let type: String
        let text: String
        var description: String { "\(self.type):\(self.text)" }
    }

    typealias Sheet = (name: String, rows: [[Cell?]])

    /// The Python with openpyxl: `JOBMATCH_OPENPYXL_PYTHON`, else a virtualenv under /tmp made on first use.
    static func python() async throws -> String {
        if let path = ProcessInfo.processInfo.environment["JOBMATCH_OPENPYXL_PYTHON"] { return path }
        return try await PythonTools.virtualenv("openpyxl-\(openpyxlVersion)", packages: ["openpyxl==\(openpyxlVersion)"]) + "/bin/python"
    }

    static func read(_ bytes: [UInt8], format: TableFormat) async throws -> [Sheet] {
        let path = NSTemporaryDirectory() + "jm-export-\(UUID().uuidString).\(format.rawValue)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../tools/read_table.py").standardized.path
        let result = try await ChildProcess.run([try await self.python(), script, path, format.rawValue], timeout: .seconds(120))
        guard result.status == 0 else { throw TestFailure("read_table.py failed: \(result.output.suffix(2000))") }
        // The child's output file holds stdout and stderr; the JSON is the last line.
        guard let line = result.output.split(separator: "\n").last,
            let printed = try? String(line).decoded(Printed.self)
        else { throw TestFailure("read_table.py printed no JSON: \(result.output.suffix(500))") }
        return try printed.sheets.map { sheet in
            let rows = try sheet.rows.map { row in
                try row.map { pair -> Cell? in
                    guard let pair else { return nil }
                    guard pair.count == 2 else { throw TestFailure("read_table.py gave a cell of \(pair.count) parts: \(pair)") }
                    return Cell(type: pair[0], text: pair[1])
                }
            }
            return (sheet.name, rows)
        }
    }

    /// Each sheet's print setup as openpyxl reads it: "name paper orientation fit_to_page fit_width fit_height".
    static func pageSetup(_ bytes: [UInt8]) async throws -> [String] {
        let path = NSTemporaryDirectory() + "jm-export-\(UUID().uuidString).xlsx"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../tools/read_table.py").standardized.path
        let result = try await ChildProcess.run([try await self.python(), script, path, "page"], timeout: .seconds(120))
        guard result.status == 0, let line = result.output.split(separator: "\n").last,
            let printed = try? String(line).decoded(PrintedPages.self)
        else { throw TestFailure("read_table.py page failed: \(result.output.suffix(1000))") }
        return printed.pages.map { "\($0.name) \($0.paper) \($0.orientation) \($0.fitToPage) \($0.fitWidth) \($0.fitHeight)" }
    }

    private struct PrintedPages: Decodable {
        struct Page: Decodable {
            let name: String
            let paper: String
            let orientation: String
            let fitToPage: Bool
            let fitWidth: String
            let fitHeight: String

            enum CodingKeys: String, CodingKey {
                case name, paper, orientation
                case fitToPage = "fit_to_page"
                case fitWidth = "fit_width"
                case fitHeight = "fit_height"
            }
        }

        let pages: [Page]
    }

    /// What read_table.py prints: each sheet's name and rows, a cell as `[type, text]` or null (empty).
    private struct Printed: Decodable {
        struct Sheet: Decodable {
            let name: String
            let rows: [[[String]?]]
        }

        let sheets: [Sheet]
    }

    /// The CSV's sections: split at blank lines; each section after the first starts with its name.
    static func sections(_ rows: [[Cell?]]) -> [[[String]]] {
        var sections: [[[String]]] = [[]]
        for row in rows {
            let texts = row.map { $0?.text ?? "" }
            if texts.isEmpty || texts.allSatisfy(\.isEmpty) {
                sections.append([])
            } else {
                sections[sections.count - 1].append(texts)
            }
        }
        return sections
    }
}
