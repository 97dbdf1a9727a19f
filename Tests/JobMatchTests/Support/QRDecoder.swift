import Foundation
import JobMatchCore

/// Reads QR codes with an independent decoder: zxing-cpp (PyPI, binary wheels) through
/// `Tests/tools/qr_decode.py`, in a virtualenv under /tmp made on first use.
enum QRDecoder {
    static let zxingVersion = "3.1.1"
    static let pillowVersion = "12.0.0"

    /// What the decoder made of one matrix: its bytes and error-correction level, or why it failed.
    struct Reading: Decodable {
        let file: String
        let bytes: String?
        let ecLevel: String?
        let error: String?
    }

    /// The Python with zxing-cpp and Pillow: `JOBMATCH_ZXING_PYTHON`, else the virtualenv.
    static func python() async throws -> String {
        if let path = ProcessInfo.processInfo.environment["JOBMATCH_ZXING_PYTHON"] { return path }
        return try await PythonTools.virtualenv(
            "zxing-\(zxingVersion)",
            packages: ["zxing-cpp==\(zxingVersion)", "pillow==\(pillowVersion)"]
        ) + "/bin/python"
    }

    static var script: String { TestCluster.repositoryRoot + "/Tests/tools/qr_decode.py" }

    /// Each code drawn as a PBM (with the four-module quiet zone), turned into a PNG and decoded; in order.
    static func decode(_ codes: [QRCode]) async throws -> [Reading] {
        let directory = NSTemporaryDirectory() + "jm-qr-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var files: [String] = []
        for (index, code) in codes.enumerated() {
            let path = directory + "/\(index).pbm"
            try Data(Self.pbm(code).utf8).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        let result = try await ChildProcess.run([try await self.python(), Self.script, "pbm"] + files, timeout: .seconds(300))
        guard result.status == 0 else { throw TestFailure("qr_decode.py failed: \(result.output.suffix(2000))") }
        let readings = try result.output.split(separator: "\n").filter { $0.hasPrefix("{") }.map {
            try String($0).decoded(Reading.self, snakeCase: true)
        }
        guard readings.map(\.file) == files else { throw TestFailure("qr_decode.py read other files: \(result.output.suffix(2000))") }
        return readings
    }

    /// The texts of the QR codes zxing-cpp finds in the picture at `path`.
    static func texts(inImage path: String) async throws -> [String] {
        struct Found: Decodable { let texts: [String] }
        let result = try await ChildProcess.run([try await self.python(), Self.script, "image", path], timeout: .seconds(120))
        guard result.status == 0, let line = result.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
            throw TestFailure("qr_decode.py failed: \(result.output.suffix(2000))")
        }
        return try String(line).decoded(Found.self).texts
    }

    /// The code as a plain PBM (P1): 1 for dark, with four light modules round it.
    static func pbm(_ code: QRCode) -> String {
        let side = code.size + 8
        var text = "P1\n\(side) \(side)\n"
        for row in -4..<(code.size + 4) {
            let line = (-4..<(code.size + 4)).map { column -> String in
                (0..<code.size).contains(row) && (0..<code.size).contains(column) && code[row, column] ? "1" : "0"
            }
            text += line.joined(separator: " ") + "\n"
        }
        return text
    }
}
