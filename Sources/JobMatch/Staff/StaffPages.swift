import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Staff accounts, for admins only: the list (`/staff`), adding an account (`/staff/new`), and an
/// account's page (`/staff/{id}`) with its forms: role, deactivate or reactivate, a new password.
/// The rules and the audit are `StaffAccounts`'.
struct StaffPages {
    let client: PostgresClient
    let renderer: WebRenderer
    let policy: WebSessionPolicy
    var credentialCache: CredentialCache? = nil

    var routes: [WebRoute] {
        [
            .get("staff", .admins, self.list),
            .get("staff/new", .admins, self.newForm),
            .post("staff/new", .admins, self.create),
            .get("staff/:id", .admins, self.show),
            .post("staff/:id/role", .admins, self.changeRole),
            .post("staff/:id/active", .admins, self.setActive),
            .post("staff/:id/password", .admins, self.setPassword),
        ]
    }

    private func accounts(_ context: AppRequestContext) -> StaffAccounts {
        StaffAccounts(client: self.client, policy: self.policy, logger: context.logger, credentialCache: self.credentialCache)
    }

    static let doneMessages = [
        "created": "Đã thêm tài khoản. Người dùng đăng nhập bằng tên đăng nhập và mật khẩu vừa đặt.",
        "role": "Đã đổi vai trò của tài khoản; có hiệu lực ngay.",
        "deactivated": "Đã ngừng hoạt động tài khoản: các phiên đăng nhập đã kết thúc và các khóa API đã bị thu hồi.",
        "reactivated": "Đã kích hoạt lại tài khoản. Các khóa API cũ vẫn bị thu hồi.",
        "password": "Đã đặt mật khẩu mới; các phiên đăng nhập của tài khoản đã kết thúc.",
    ]

    static let newFields: [WebField] =
        [
            WebField(
                name: "username",
                label: "Tên đăng nhập",
                required: true,
                hint: "Chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang; ví dụ: nguyen.hong.",
                maxLength: 63,
                autocomplete: "off"
            ),
            .text("display_name", "Họ tên hiển thị", hint: "Viết đủ dấu, ví dụ: Nguyễn Thị Hồng.", maxLength: 200),
            .select(
                "role",
                "Vai trò",
                WebLabels.staffRole,
                required: true,
                hint: "Quản trị: mọi việc và quản lý tài khoản. Cán bộ: nhập và sửa dữ liệu. Chỉ xem: chỉ đọc."
            ),
        ] + passwordFields(label: "Mật khẩu ban đầu")

    static let roleFields: [WebField] = [.select("role", "Vai trò", WebLabels.staffRole, required: true, blank: nil)]

    static func passwordFields(label: String) -> [WebField] {
        [
            WebField(
                name: "password",
                label: label,
                kind: .password,
                required: true,
                hint:
                    "Ít nhất \(PasswordPolicy.minimumLength) ký tự; không phải mật khẩu phổ biến, không chứa tên đăng nhập, không phải dãy phím liên tiếp.",
                maxLength: PasswordPolicy.maximumLength,
                autocomplete: "new-password"
            ),
            WebField(
                name: "password_again",
                label: "Nhập lại mật khẩu",
                kind: .password,
                required: true,
                maxLength: PasswordPolicy.maximumLength,
                autocomplete: "new-password"
            ),
        ]
    }

    /// What was typed, to show again, without the passwords.
    static func state(_ form: WebForm, error: AppError, fields: [WebField]) -> WebFormState {
        var state = WebFormState(form)
        state.values["password"] = nil
        state.values["password_again"] = nil
        state.add(error, fields: fields)
        return state
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let accounts = try await self.accounts(context).all()
        return self.renderer.page(
            "staff",
            title: "Tài khoản cán bộ",
            context: context,
            values: [
                "done": Self.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? "",
                "accounts": accounts.map { Self.values($0, me: context.webSession?.staffID) },
            ],
            section: "staff"
        )
    }

    static func values(_ account: StaffAccounts.Account, me: Int64?) -> [String: Any] {
        [
            "accountId": account.id, "username": account.username, "displayName": account.displayName, "roleName": account.role.vietnamese,
            "active": account.active, "hasPassword": account.hasPassword, "created": account.created, "lastSignIn": account.lastSignIn,
            "openSessions": account.openSessions, "liveTokens": account.liveTokens, "isMe": account.id == me,
        ]
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.newPage(state: WebFormState(values: ["role": ["officer"]]), context: context)
    }

    private func newPage(state: WebFormState, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        self.renderer.form(
            title: "Thêm tài khoản cán bộ",
            intro: "Các trường có dấu * là bắt buộc. Hãy báo mật khẩu ban đầu cho người dùng bằng cách an toàn.",
            action: "/staff/new",
            fields: Self.newFields,
            state: state,
            submit: "Thêm tài khoản",
            back: ("/staff", "Tài khoản cán bộ"),
            section: "staff",
            context: context,
            status: status
        )
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let id = try await self.accounts(context).create(
                username: posted.fields["username"],
                displayName: posted.text("display_name"),
                role: posted.text("role"),
                password: posted.fields["password"],
                again: posted.fields["password_again"],
                by: context.principal
            )
            return WebRenderer.redirect("/staff/\(id)?done=created")
        } redisplay: { error in
            self.newPage(state: Self.state(posted, error: error, fields: Self.newFields), context: context, status: error.status)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        return try await self.page(id, request: request, context: context)
    }

    /// An account's page; `role`, `password` and `active` carry a form's state when it is shown again.
    private func page(
        _ id: Int64,
        request: Request,
        role: WebFormState? = nil,
        password: WebFormState? = nil,
        active: String? = nil,
        context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let account = try await self.accounts(context).account(id)
        var values = Self.values(account, me: context.webSession?.staffID)
        values["done"] = Self.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? ""
        let roleState = role ?? WebFormState(values: ["role": [account.role.rawValue]])
        values["roleForm"] =
            [
                "action": "/staff/\(id)/role", "fields": roleState.render(Self.roleFields), "message": roleState.message ?? "",
                "submit": "Đổi vai trò",
            ] as [String: Any]
        let passwordState = password ?? WebFormState()
        values["passwordForm"] =
            [
                "action": "/staff/\(id)/password", "fields": passwordState.render(Self.passwordFields(label: "Mật khẩu mới")),
                "message": passwordState.message ?? "", "submit": "Đặt mật khẩu mới",
            ] as [String: Any]
        values["activeProblem"] = active ?? ""
        let tokens = try await CredentialStore(client: self.client, logger: context.logger).staffTokens(staffID: id)
        values["tokens"] = tokens.map { token -> [String: Any] in
            [
                "id": token.id, "prefix": token.prefix, "created": WebLabels.timestamp(token.createdAt),
                "lastUsed": WebLabels.timestamp(token.lastUsedAt),
                "expires": WebDates.display(token.expiresOn), "revoked": WebLabels.timestamp(token.revokedAt),
                "live": token.revokedAt == nil && !token.expired, "expired": token.revokedAt == nil && token.expired,
            ]
        }
        values["hasTokens"] = !tokens.isEmpty
        let title = account.displayName.isEmpty ? account.username : account.displayName
        return self.renderer.page("staff_account", title: "Tài khoản \(title)", context: context, values: values, section: "staff", status: status)
    }

    @Sendable func changeRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        let me = try context.requireStaff().id
        return try await WebSubmit.run(context: context) {
            try await self.accounts(context).changeRole(id, to: posted.text("role"), actorID: me, by: context.principal)
            return WebRenderer.redirect("/staff/\(id)?done=role")
        } redisplay: { error in
            try await self.page(
                id,
                request: request,
                role: Self.state(posted, error: error, fields: Self.roleFields),
                context: context,
                status: error.status
            )
        }
    }

    @Sendable func setActive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        let me = try context.requireStaff().id
        return try await WebSubmit.run(context: context) {
            guard let wanted = posted.text("active"), wanted == "true" || wanted == "false" else {
                throw AppError.invalid(field: "active", "Biểu mẫu thiếu lựa chọn kích hoạt hay ngừng hoạt động; hãy tải lại trang.")
            }
            try await self.accounts(context).setActive(id, active: wanted == "true", actorID: me, by: context.principal)
            return WebRenderer.redirect("/staff/\(id)?done=\(wanted == "true" ? "reactivated" : "deactivated")")
        } redisplay: { error in
            try await self.page(id, request: request, active: error.detail ?? error.title, context: context, status: error.status)
        }
    }

    @Sendable func setPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            try await self.accounts(context).setPassword(
                id,
                password: posted.fields["password"],
                again: posted.fields["password_again"],
                by: context.principal
            )
            return WebRenderer.redirect("/staff/\(id)?done=password")
        } redisplay: { error in
            let fields = Self.passwordFields(label: "Mật khẩu mới")
            return try await self.page(
                id,
                request: request,
                password: Self.state(posted, error: error, fields: fields),
                context: context,
                status: error.status
            )
        }
    }
}
