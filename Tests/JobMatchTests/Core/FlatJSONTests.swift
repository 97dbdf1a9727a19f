import Foundation
import JobMatchCore
import Testing

@Suite("Flat JSON writer")
struct FlatJSONTests {
    @Test("quotes, backslashes, control characters and Vietnamese text read back exactly")
    func roundTrip() throws {
        let object = ["tên": "Nguyễn \"Văn\" A", "path": "C:\\x\\y", "note": "dòng 1\ndòng 2\t\u{01}", "": ""]
        let text = FlatJSON.encode(object)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(parsed == object)
        #expect(FlatJSON.encode(["b": "2", "a": "1"]) == #"{"a":"1","b":"2"}"#)
    }
}
