import Foundation
import MultipartKit
import NIOCore

/// Reads a `multipart/form-data` body chunk by chunk as it arrives, through MultipartKit's parser:
/// text fields by name and the one file under `fileField`. A body the parser refuses, one cut
/// short, or one with more than one file is remembered as a `Problem` (the caller still checks the
/// form's token, read from what came before, so that a forged request is refused as forged first).
final class MultipartFormReader {
    /// Why a body cannot be taken, each with the clerk's words for it.
    enum Problem: Error, Equatable {
        /// The bytes do not follow the multipart format (a part's headers are broken, say).
        case malformed
        /// The body ends before its closing boundary (the upload was cut off).
        case truncated
        /// More than one part carries a file.
        case twoFiles

        /// What the clerk reads, in Vietnamese.
        var message: String {
            switch self {
            case .malformed: "Nội dung gửi lên không đúng dạng biểu mẫu có tệp. Hãy tải lại trang rồi chọn tệp lại."
            case .truncated: "Tệp gửi lên bị ngắt giữa chừng (đường truyền chập chờn?). Hãy tải lên lại."
            case .twoFiles: "Mỗi lần chỉ tải lên một tệp."
            }
        }
    }

    let fileField: String
    private(set) var fields: [String: String] = [:]
    private(set) var fileName: String?
    private(set) var file: [UInt8]?
    /// The first problem met; the rest of the body is then only counted, not parsed.
    private(set) var problem: Problem?

    private let parser: MultipartParser
    /// MultipartKit 4.7.1 looks a header name's bytes up in a 128-entry table, so a byte of 0x80 or
    /// more there traps (found by `FuzzTests`). This second parser reads a copy of the body with such
    /// bytes turned into 0x01, which it refuses as a syntax error exactly where the first would
    /// trap; everywhere else the copy parses the same (boundaries and line ends are ASCII).
    private let sentry: MultipartParser
    private var headers: [(String, String)] = []
    private var content: [UInt8] = []
    private var partOpen = false
    private var parts = 0
    private var files = 0
    /// Set once the real body is over: any part the parser still reports was left unfinished.
    private var ended = false

    /// nil for an empty boundary (MultipartKit's parser requires one) or one that is not ASCII.
    init?(boundary: String, fileField: String) {
        guard !boundary.isEmpty, boundary.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        self.fileField = fileField
        self.parser = MultipartParser(boundary: boundary)
        self.sentry = MultipartParser(boundary: boundary)
        self.parser.onHeader = { [unowned self] name, value in
            self.partOpen = true
            self.headers.append((name, value))
        }
        self.parser.onBody = { [unowned self] buffer in
            self.partOpen = true
            self.content += buffer.readableBytesView
        }
        self.parser.onPartComplete = { [unowned self] in self.completePart() }
    }

    /// Parses the next piece of the body (nothing once a problem was found).
    func feed(_ chunk: ByteBuffer) {
        guard self.problem == nil else { return }
        let copy = chunk.readableBytesView.map { $0 < 0x80 ? $0 : 0x01 }
        do {
            try self.sentry.execute(copy)
        } catch {
            // The body is refused; the parts before the fault (the token among them, which is
            // ASCII) are still read, from the copy, which stops at the same place without trapping.
            try? self.parser.execute(copy)
            self.problem = .malformed
            return
        }
        do {
            try self.parser.execute(chunk)
        } catch {
            self.problem = .malformed
        }
    }

    /// The form once the body is over; throws the first `Problem`.
    func finish() throws -> WebUpload {
        if self.problem == nil { self.checkEnded() }
        if let problem = self.problem { throw problem }
        return WebUpload(fields: self.fields, fileName: self.fileName, file: self.file)
    }

    /// MultipartKit does not say whether the closing boundary was seen, so a byte sequence is fed
    /// that the parser ignores after the closing boundary (its epilogue) and that fails or shows as
    /// part content in every other state: an error or any report means the body stopped early.
    /// A body in which no part ever began is malformed rather than cut short.
    private func checkEnded() {
        let started = self.parts > 0 || self.partOpen
        self.ended = true
        self.partOpen = false
        var stoppedEarly = false
        do {
            // ASCII only: the sentry is not needed here.
            try self.parser.execute([0x00, 0x0D, 0x00])
            stoppedEarly = self.partOpen || self.parts == 0
        } catch {
            stoppedEarly = true
        }
        if stoppedEarly { self.problem = started ? .truncated : .malformed }
    }

    private func completePart() {
        guard !self.ended else {
            self.partOpen = true
            return
        }
        defer {
            self.headers = []
            self.content = []
            self.partOpen = false
        }
        self.parts += 1
        let disposition = self.headers.last { $0.0.lowercased() == "content-disposition" }.map { Self.parameters($0.1) } ?? [:]
        if disposition["filename"] != nil {
            self.files += 1
            if self.files > 1, self.problem == nil { self.problem = .twoFiles }
        }
        guard let name = disposition["name"] else { return }
        if name == self.fileField {
            self.fileName = disposition["filename"]
            self.file = self.content
        } else {
            self.fields[name] = String(decoding: self.content, as: UTF8.self)
        }
    }

    /// The parameters of a `Content-Disposition` value (`form-data; name="a"; filename="b;c.csv"`),
    /// names lower-cased, quoted values unquoted (a `;` inside quotes belongs to the value).
    static func parameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var segments: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
            } else if quoted, character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
                current.append(character)
            } else if character == ";", !quoted {
                segments.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        segments.append(current)
        for segment in segments {
            let pair = segment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            var text = pair[1].trimmingCharacters(in: .whitespaces)
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
                text = String(text.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\\\", with: "\\")
            }
            if result[key] == nil { result[key] = text }
        }
        return result
    }
}
