import Foundation

/// How messages to workers leave: the gateway (`SMS_GATEWAY_URL`; none: they wait to be printed),
/// plain ASCII for gateways without Unicode (`SMS_ASCII`), at most `SMS_PER_MINUTE` requests a
/// minute and `SMS_DAILY_CAP` messages a day (Vietnam's day), retried with doubling pauses.
public struct SmsConfig: Sendable {
    public var gatewayURL: String? = nil
    public var ascii = false
    public var perMinute = 30
    public var dailyCap = 500
    /// How often the outbox is looked at.
    public var pollInterval: Duration = .seconds(5)
    /// Seconds before the first retry of a failed message (doubling after each, at most 6 hours).
    public var retryBaseSeconds = 30
    /// Attempts before a message is marked failed (staff may retry it).
    public var maximumAttempts = 8
    /// How long the gateway has to answer one request.
    public var timeout: Duration = .seconds(10)
    /// Queue the follow-up call announcements (3, 6, 12 months after a job) in each round.
    public var announceFollowUps = true

    public init() {}

    /// The gateway's URL when it is an http(s) URL with a host; nil otherwise.
    var gateway: URL? {
        guard let text = self.gatewayURL, let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host?.isEmpty == false
        else { return nil }
        return url
    }
}
