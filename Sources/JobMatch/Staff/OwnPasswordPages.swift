import Foundation
import Hummingbird
import JobMatchCore

/// `/account/password`: any signed-in staff member changes their own password, the current one
/// asked first (`WebSessionStore.changeOwnPassword`); their other sessions end, this one stays.
struct OwnPasswordPages {
    let sessions: WebSessionStore
    let renderer: WebRenderer
    /// Read the client's address from a local proxy's `X-Forwarded-For` (`TRUST_PROXY`), as sign-in does.
    var trustProxy = false

    var routes: [WebRoute] {
        [
            .get("account/password", .staff, self.form),
            .post("account/password", .staff, self.change),
        ]
    }

    static let fields: [WebField] =
        [
            WebField(
                name: "current_password",
                label: "Mật khẩu hiện tại",
                kind: .password,
                required: true,
                maxLength: PasswordPolicy.maximumLength,
                autocomplete: "current-password"
            )
        ] + StaffPages.passwordFields(label: "Mật khẩu mới")

    static let done = "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc; phiên này vẫn tiếp tục."

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.page(state: WebFormState(), done: request.uri.queryParameters.get("done") == "1", context: context)
    }

    private func page(state: WebFormState, done: Bool = false, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        let intro =
            done
            ? Self.done
            : "Nhập mật khẩu hiện tại rồi mật khẩu mới hai lần. Các phiên đăng nhập khác của bạn (máy khác, trình duyệt khác) sẽ kết thúc."
        return self.renderer.form(
            title: "Đổi mật khẩu",
            intro: intro,
            action: "/account/password",
            fields: Self.fields,
            state: state,
            submit: "Đổi mật khẩu",
            back: ("/", "Tổng quan"),
            section: "account",
            context: context,
            status: status
        )
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context, allowViewer: true)
        guard let session = context.webSession else { throw AppError.unauthorized }
        return try await WebSubmit.run(context: context) {
            let password = try StaffAccounts.password(posted.fields["password"], again: posted.fields["password_again"], username: session.username)
            try await self.sessions.changeOwnPassword(
                session,
                current: posted.fields["current_password"] ?? "",
                new: password,
                clientAddress: SignInRoutes.clientAddress(request, context: context, trustProxy: self.trustProxy)
            )
            return WebRenderer.redirect("/account/password?done=1")
        } redisplay: { error in
            var state = WebFormState(posted)
            for name in ["current_password", "password", "password_again"] { state.values[name] = nil }
            state.add(error, fields: Self.fields)
            return self.page(state: state, context: context, status: error.status)
        }
    }
}
