import Foundation
import HTTPTypes
import Hummingbird

/// The cookies of the web app.
enum WebCookies {
    /// The session's secret.
    static let session = "jm_session"
    /// The sign-in form's CSRF token, before there is a session.
    static let signInToken = "jm_signin"

    /// A cookie only this site's pages send back: HttpOnly, SameSite=Lax, path `/`, Secure when the
    /// request came over TLS (directly or through a proxy that says so); `maxAge` 0 removes it.
    static func cookie(_ name: String, value: String, request: Request, maxAge: Int? = nil) -> Cookie {
        let secure = request.head.scheme == "https" || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
        return Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
