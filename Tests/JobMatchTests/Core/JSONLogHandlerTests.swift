import Foundation
import Testing

@testable import JobMatch

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    @Test("a line is one JSON object with sorted keys, quotes and control characters escaped, Vietnamese kept")
    func escaping() throws {
        // setup
        let object = ["message": "Lỗi \"x\"\\y\nz\t\u{1}", "label": "jobmatch", "a": "/api/v1/vacancies"]
        // act
        let line = JSONLogHandler.line(object)
        // verify
        #expect(line.last == 0x0A)
        #expect(line.dropLast().contains(0x0A) == false, "one line, whatever the message holds")
        let text = String(decoding: line.dropLast(), as: UTF8.self)
        #expect(text.hasPrefix("{\"a\":\"/api/v1/vacancies\",\"label\":\"jobmatch\",\"message\":"))
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: String])
        #expect(decoded == object)
    }

    @Test("the time is ISO 8601 in UTC to the second")
    func timestamp() throws {
        let stamp = JSONLogHandler.timestamp()
        #expect(stamp.count == 20)
        let parsed = try #require(try? Date(stamp, strategy: .iso8601))
        #expect(abs(parsed.timeIntervalSinceNow) < 3600)
    }
}
