import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

/// The upload form (`/imports`) against bodies a browser would not send, or sends when the line
/// drops: each gets a Vietnamese answer that says what went wrong, nothing is imported, and the
/// service keeps answering.
@Suite("Web app: odd uploads")
struct UploadTests {
    static let boundary = "----jobmatchOddUpload"

    /// One text part.
    static func field(_ name: String, _ value: String, boundary: String = Self.boundary) -> String {
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
    }

    /// One file part.
    static func file(_ name: String, _ content: String, field: String = "file") -> String {
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(name)\"\r\nContent-Type: text/csv\r\n\r\n\(content)\r\n"
    }

    static let closing = "--\(boundary)--\r\n"
    static let multipart = "multipart/form-data; boundary=\(boundary)"

    @Test("missing boundary, wrong content type, cut short, malformed, two files, too large: each refused in Vietnamese, nothing imported")
    func oddBodies() async throws {
        try await withTestApp { client, _, url in
            // setup
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let token = try #require(try await browser.get("/imports").csrf)
            let csv = ([ImportTests.header] + ImportTests.good).joined(separator: "\r\n") + "\r\n"
            let whole = Self.field("_csrf", token) + Self.file("ds.csv", csv) + Self.closing

            // act, verify
            // No boundary: the token cannot be read, so the form is refused as forged.
            let noBoundary = try await browser.send(.post, "/imports", body: whole, contentType: "multipart/form-data")
            #expect(noBoundary.status == .forbidden && noBoundary.html.contains("Biểu mẫu đã hết hạn hoặc không hợp lệ"))
            let emptyBoundary = try await browser.send(.post, "/imports", body: whole, contentType: "multipart/form-data; boundary=\"\"")
            #expect(emptyBoundary.status == .forbidden)
            // Not multipart at all: a plain form with its token is asked for its file.
            let plain = try await browser.post("/imports", [("_csrf", token), ("file", "ds.csv")])
            #expect(plain.status == .unprocessableContent && plain.html.contains("Hãy chọn tệp để tải lên."))
            let text = try await browser.send(.post, "/imports", body: csv, contentType: "text/csv")
            #expect(text.status == .forbidden)
            // Cut off inside the file, and just before the closing boundary.
            for cut in [whole.utf8.count / 2, whole.utf8.count - Self.closing.utf8.count] {
                let short = String(decoding: Array(whole.utf8).prefix(cut), as: UTF8.self)
                let answer = try await browser.send(.post, "/imports", body: short, contentType: Self.multipart)
                #expect(answer.status == .unprocessableContent && answer.html.contains("bị ngắt giữa chừng"), "cut at \(cut)")
            }
            // A part whose header line is broken.
            let broken = Self.field("_csrf", token) + "--\(Self.boundary)\r\nContent Disposition; file\r\n\r\n\(csv)\r\n" + Self.closing
            let malformed = try await browser.send(.post, "/imports", body: broken, contentType: Self.multipart)
            #expect(malformed.status == .unprocessableContent && malformed.html.contains("không đúng dạng biểu mẫu có tệp"))
            // A header name with a letter outside ASCII (which MultipartKit alone would trap on).
            let accented = Self.field("_csrf", token) + "--\(Self.boundary)\r\nTên-tệp: ds.csv\r\n\r\n\(csv)\r\n" + Self.closing
            let odd = try await browser.send(.post, "/imports", body: accented, contentType: Self.multipart)
            #expect(odd.status == .unprocessableContent && odd.html.contains("không đúng dạng biểu mẫu có tệp"))
            // Two files, under the same field and under two.
            for second in [Self.file("ds2.csv", csv), Self.file("ds2.csv", csv, field: "other")] {
                let two = Self.field("_csrf", token) + Self.file("ds.csv", csv) + second + Self.closing
                let answer = try await browser.send(.post, "/imports", body: two, contentType: Self.multipart)
                #expect(answer.status == .unprocessableContent && answer.html.contains("Mỗi lần chỉ tải lên một tệp."))
            }
            // A file past the limit, and a damaged body without the token: refused before anything is read into the import.
            let huge = Self.field("_csrf", token) + Self.file("lon.csv", String(repeating: "a", count: ImportPages.maxBytes + 1)) + Self.closing
            let tooLarge = try await browser.send(.post, "/imports", body: huge, contentType: Self.multipart)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.html.contains("Tệp lớn hơn 16 MB; hãy chia nhỏ danh sách."))
            let garbage = try await browser.send(.post, "/imports", body: "--\(Self.boundary)\r\n\u{0}\u{1}", contentType: Self.multipart)
            #expect(garbage.status == .forbidden)
            #expect(try await rowCount("import_runs", url: url) == 0)
            #expect(try await rowCount("workers", url: url) == 0)

            // The same form, whole, still imports.
            let good = try await browser.send(.post, "/imports", body: whole, contentType: Self.multipart)
            #expect(good.status == .seeOther)
            #expect(try await rowCount("workers", url: url) == 3)
        }
    }
}
