extension WebForm {
    /// A whole number typed with or without thousands separators (`1.500.000`); nil when empty,
    /// and for anything else the same 400 naming the field as a JSON body of the wrong type.
    func wholeNumber(_ name: String) throws -> Int64? {
        guard let text = self.text(name) else { return nil }
        guard let number = Int64(text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: " ", with: "")) else {
            throw Self.wrongType(name)
        }
        return number
    }

    /// The refusal of a field that is not of its type, as a JSON body's would read.
    static func wrongType(_ field: String) -> AppError {
        AppError(.badRequest, kind: "bad-request", title: "Yêu cầu không hợp lệ", detail: "Trường \(field) có kiểu dữ liệu không đúng.", field: field)
    }
}
