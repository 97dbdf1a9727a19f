import ArgumentParser
import Foundation
import JobMatch
import JobMatchCore
import Logging
import PostgresNIO

/// Writes a file through a temporary file next to it, renamed into place only when complete, so
/// a failed export never leaves a partial file under the name asked for.
enum AtomicFile {
    static func write(_ path: String, _ produce: (@escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Void) async throws -> Int {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(getpid()).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: temporary)
        else { throw CLIError("cannot write \(path)") }
        let counter = ByteCounter()
        do {
            try await produce { bytes in
                try handle.write(contentsOf: bytes)
                counter.add(bytes.count)
            }
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.moveItem(at: temporary, to: target)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return counter.total
    }
}

/// Counts bytes written by the sink (called from one task at a time).
private final class ByteCounter: @unchecked Sendable {
    private(set) var total = 0
    func add(_ count: Int) { self.total += count }
}
