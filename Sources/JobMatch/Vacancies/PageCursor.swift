import Foundation

/// Where a keyset page ends: the last row's time of change (microseconds) and id, opaque to clients.
struct PageCursor: Sendable, Equatable {
    let micros: Int64
    let id: Int64

    /// The cursor as clients see it: URL-safe base64 of `micros:id`.
    var token: String {
        Data("\(self.micros):\(self.id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    init(micros: Int64, id: Int64) {
        self.micros = micros
        self.id = id
    }

    /// Reads a client's token; nil when it is not one this service issued.
    init?(token: String) {
        let base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard token.count <= 200, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let micros = Int64(parts[0]), let id = Int64(parts[1]) else { return nil }
        self.init(micros: micros, id: id)
    }
}
