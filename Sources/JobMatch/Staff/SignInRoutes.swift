import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `GET /sign-in` (the form), `POST /sign-in` (username and password: a new session, the old one
/// ended), `POST /sign-out` (the session ended: its cookie opens nothing any more).
struct SignInRoutes {
    let sessions: WebSessionStore
    let renderer: WebRenderer
    /// Read the client's address from a local proxy's `X-Forwarded-For` (`TRUST_PROXY`).
    var trustProxy = false

    func register(public router: RouterGroup<AppRequestContext>) {
        router.get("sign-in", use: self.form)
        router.post("sign-in", use: self.signIn)
    }

    /// Signing out, and changing one's own password (`OwnPasswordPages`).
    var routes: [WebRoute] {
        [.post("sign-out", .staff, self.signOut)]
            + OwnPasswordPages(sessions: self.sessions, renderer: self.renderer, trustProxy: self.trustProxy).routes
    }

    /// The form, with a fresh token in a cookie and a hidden field (CSRF before there is a session).
    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.formPage(request, context: context, next: request.uri.queryParameters.get("next"), message: nil, username: "", status: .ok)
    }

    private func formPage(
        _ request: Request,
        context: AppRequestContext,
        next: String?,
        message: String?,
        username: String,
        status: HTTPResponse.Status
    ) -> Response {
        let token = SecretToken.generate(.session).value
        var response = self.renderer.page(
            "signin",
            title: "Đăng nhập",
            context: context,
            values: [
                "token": token, "next": Self.safeNext(next) ?? "", "message": message ?? "", "username": username,
            ],
            status: status
        )
        response.setCookie(WebCookies.cookie(WebCookies.signInToken, value: token, request: request, maxAge: 3600))
        return response
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await WebForm.read(request, context: context, expectedToken: request.cookies[WebCookies.signInToken]?.value ?? "")
        let username = form.text("username") ?? ""
        let next = Self.safeNext(form.fields["next"])
        let result = try await self.sessions.signIn(
            username: username,
            password: form.fields["password"] ?? "",
            clientAddress: Self.clientAddress(request, context: context, trustProxy: self.trustProxy)
        )
        switch result {
        case .refused:
            return self.formPage(
                request,
                context: context,
                next: next,
                message: "Tên đăng nhập hoặc mật khẩu không đúng.",
                username: username,
                status: .unauthorized
            )
        case .throttled:
            return self.formPage(
                request,
                context: context,
                next: next,
                message: "Đã nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút hoặc liên hệ quản trị viên.",
                username: username,
                status: .tooManyRequests
            )
        case .signedIn(let secret, _):
            // A session cookie from before is ended: sign-in always starts a new session.
            if let old = request.cookies[WebCookies.session]?.value, let previous = try await self.sessions.session(secret: old) {
                try await self.sessions.end(previous, reason: "signed_in_again")
            }
            var response = WebRenderer.redirect(next ?? "/")
            response.setCookie(WebCookies.cookie(WebCookies.session, value: secret, request: request))
            response.setCookie(WebCookies.cookie(WebCookies.signInToken, value: "", request: request, maxAge: 0))
            return response
        }
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await WebForm.read(request, context: context, allowViewer: true)
        if let session = context.webSession { try await self.sessions.end(session, reason: "signed_out") }
        var response = WebRenderer.redirect("/sign-in")
        response.setCookie(WebCookies.cookie(WebCookies.session, value: "", request: request, maxAge: 0))
        return response
    }

    /// Where to go after signing in: a path of this site only (never another site). Only the
    /// characters of an ordinary path and query are allowed (`A-Za-z0-9/-._~%?=&+,`), so no tab,
    /// newline, backslash or colon a browser could read as another host; it starts with one `/`
    /// and never holds `//`; a `%` escape may not hide a slash, a backslash or a control character.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.contains("//"), next.utf8.count < 300 else { return nil }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-._~%?=&+,".utf8)
        let bytes = Array(next.utf8)
        guard bytes.allSatisfy(allowed.contains) else { return nil }
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "%") {
            guard index + 2 < bytes.count, let escaped = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16),
                escaped >= 0x20, escaped != 0x7f, escaped != UInt8(ascii: "/"), escaped != UInt8(ascii: "\\"), escaped != UInt8(ascii: "%")
            else { return nil }
        }
        return next
    }

    /// The address sign-in attempts are counted by: the peer's, or behind a trusted proxy on a
    /// loopback or private address, the first untrusted hop of `X-Forwarded-For` (every such header,
    /// in order): walking from the right, the proxies' own loopback and private entries are skipped
    /// and the first other entry is the client that reached them; entries to its left are whatever
    /// that client sent and are never believed. With none, the peer.
    static func clientAddress(_ request: Request, context: AppRequestContext, trustProxy: Bool) -> String? {
        Self.clientAddress(
            peer: context.remoteAddress?.ipAddress,
            forwardedFor: request.headers[values: HTTPField.Name("X-Forwarded-For")!],
            trustProxy: trustProxy
        )
    }

    /// `clientAddress` from the peer's address and the `X-Forwarded-For` headers' values, in order.
    static func clientAddress(peer: String?, forwardedFor: [String], trustProxy: Bool) -> String? {
        guard trustProxy, let peer, Self.isLocal(peer) else { return peer }
        let entries = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for entry in entries.reversed() where !Self.isLocal(entry) {
            return entry.isEmpty || entry.count > 45 ? peer : entry
        }
        return peer
    }

    /// Loopback or a private network (10/8, 172.16/12, 192.168/16, fc00::/7).
    static func isLocal(_ rawAddress: String) -> Bool {
        let lowered = rawAddress.lowercased()
        // An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is the IPv4 address.
        let address = lowered.hasPrefix("::ffff:") && lowered.contains(".") ? String(lowered.dropFirst(7)) : lowered
        if address == "::1" || address.hasPrefix("127.") || address.hasPrefix("10.") || address.hasPrefix("192.168.") { return true }
        if address.contains(":"), address.hasPrefix("fc") || address.hasPrefix("fd") { return true }
        let parts = address.split(separator: ".")
        if parts.count == 4, parts[0] == "172", let second = Int(parts[1]) { return (16...31).contains(second) }
        return false
    }
}
