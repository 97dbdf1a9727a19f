import Hummingbird

/// The language the staff web app speaks to a user: Vietnamese, or English for visiting staff,
/// chosen with the switch in the page header and kept in a cookie for a year.
enum WebLanguage: String, Sendable, CaseIterable {
    case vi
    case en

    /// The cookie holding the choice.
    static let cookie = "jm_lang"

    /// The choice of the request's cookie; Vietnamese without one.
    static func of(_ request: Request) -> WebLanguage {
        request.cookies[Self.cookie].flatMap { WebLanguage(rawValue: $0.value) } ?? .vi
    }

    /// The switch to the other language, named in that language.
    var other: (code: String, name: String) {
        switch self {
        case .vi: ("en", "English")
        case .en: ("vi", "Tiếng Việt")
        }
    }
}
