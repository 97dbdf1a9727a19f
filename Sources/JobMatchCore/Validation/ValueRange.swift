/// The values a numeric field may take, with the Vietnamese message a clerk sees when a value lies
/// outside them: one home for the age and wage bounds of workers, vacancies and placements.
public struct ValueRange<Value: Comparable & Sendable>: Sendable {
    /// The allowed values, both ends included.
    public let bounds: ClosedRange<Value>
    /// What is wrong when a value is outside `bounds`, in Vietnamese.
    public let message: String

    public init(_ bounds: ClosedRange<Value>, message: String) {
        self.bounds = bounds
        self.message = message
    }

    public func contains(_ value: Value) -> Bool {
        self.bounds.contains(value)
    }

    /// The value when it lies in the range; otherwise a `FieldError` at `field` with the range's message.
    @discardableResult
    public func check(_ value: Value, field: String) throws(FieldError) -> Value {
        guard self.bounds.contains(value) else { throw FieldError(field: field, message: self.message) }
        return value
    }

    /// An optional value: nil passes, anything else must lie in the range.
    @discardableResult
    public func check(ifPresent value: Value?, field: String) throws(FieldError) -> Value? {
        guard let value else { return nil }
        guard self.bounds.contains(value) else { throw FieldError(field: field, message: self.message) }
        return value
    }

    /// A lower and an upper limit given together (a wage band, an age band): each in the range,
    /// and the upper not below the lower (refused at `high`'s field with `orderMessage`).
    public func checkBand(low: Value?, lowField: String, high: Value?, highField: String, orderMessage: String) throws(FieldError) {
        try self.check(ifPresent: low, field: lowField)
        try self.check(ifPresent: high, field: highField)
        if let low, let high, high < low { throw FieldError(field: highField, message: orderMessage) }
    }
}

extension ValueRange where Value == Int64 {
    /// A monthly wage in đồng, as a vacancy, a referral's hire or a placement states it.
    public static var monthlyWage: ValueRange<Int64> {
        ValueRange(0...1_000_000_000, message: "Mức lương phải từ 0 đến 1.000.000.000 đồng/tháng.")
    }
}

extension ValueRange where Value == Int {
    /// Working age under the Labour Code, for a vacancy's age band (a worker's own age is
    /// `WorkerRules.checkAge`, which says the age found).
    public static var workingAge: ValueRange<Int> {
        ValueRange(15...100, message: "Độ tuổi phải từ 15 đến 100 (tuổi lao động theo Bộ luật Lao động).")
    }
}
