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
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let sheets = object["sheets"] as? [[String: Any]]
        else { throw TestFailure("read_table.py printed no JSON: \(result.output.suffix(500))") }
        return sheets.map { sheet in
            let rows = (sheet["rows"] as? [[Any]] ?? []).map { row in
                row.map { value -> Cell? in
                    guard let pair = value as? [String] else { return nil }
                    return Cell(type: pair[0], text: pair[1])
                }
            }
            return (sheet["name"] as? String ?? "", rows)
        }
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
