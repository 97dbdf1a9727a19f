import Foundation
import Hummingbird
import JobMatchCore

/// `/messages`: the outbox of messages to workers with their states, filtered by state and kind;
/// "In danh sách" marks what waits as printed and opens the printable list (also a CSV file), for
/// the officer to send by hand when no gateway is configured. Phones are shown to officers and
/// admins only, and each such read is audited. The page door onto `MessageOutbox`.
struct MessagePages {
    let outbox: MessageOutbox
    let renderer: WebRenderer
    /// Whether a gateway sends the messages (otherwise they wait to be printed).
    let gateway: Bool

    var routes: [WebRoute] {
        [
            .get("messages", self.page), .post("messages/print", self.print), .get("messages/print/:batch", .writers, self.printed),
            .get("messages/print/:batch/file", .writers, self.file), .post("messages/:id/retry", self.retry),
        ]
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let staff = try context.requireStaff()
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? { query.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        let state = try value("state").map { try Input.choice($0, as: MessageState.self, field: "state") }
        let kind = try value("kind").map { try Input.choice($0, as: MessageKind.self, field: "kind") }
        let messages = try await self.outbox.list(
            state: state,
            kind: kind,
            limit: 200,
            withPhones: staff.role.canWrite,
            actor: context.principal,
            logger: context.logger
        )
        let done = ["retried": "Đã đưa tin nhắn vào hàng chờ gửi lại.", "none": "Không có tin nhắn nào đang chờ để in."]
        return self.renderer.page(
            "messages",
            title: "Tin nhắn cho người lao động",
            context: context,
            values: [
                "gateway": self.gateway,
                "states": MessageState.allCases.map { ["value": $0.rawValue, "text": $0.vietnamese, "selected": $0 == state] },
                "kinds": MessageKind.allCases.map { ["value": $0.rawValue, "text": $0.vietnamese, "selected": $0 == kind] },
                "messages": messages.map(Self.row), "hasMessages": !messages.isEmpty,
                "count": VietnameseFormat.number(messages.count),
                "done": value("done").flatMap { done[$0] } ?? "",
            ]
        )
    }

    /// Marks what waits (of the chosen kind) printed and opens that list.
    @Sendable func print(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await WebForm.read(request, context: context)
        let kind = try form.text("kind").flatMap { $0.isEmpty ? nil : $0 }.map { try Input.choice($0, as: MessageKind.self, field: "kind") }
        guard let batch = try await self.outbox.print(kind: kind, actor: context.principal, logger: context.logger) else {
            return WebRenderer.redirect("/messages?done=none")
        }
        return WebRenderer.redirect("/messages/print/\(batch)")
    }

    /// A printed list, laid out for paper.
    @Sendable func printed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let batch = try context.parameters.require("batch", as: Int64.self)
        let messages = try await self.outbox.printed(batch, actor: context.principal, logger: context.logger)
        return self.renderer.page(
            "messages_print",
            title: "Danh sách tin nhắn số \(batch)",
            context: context,
            values: [
                "batch": batch, "messages": messages.map(Self.row), "count": VietnameseFormat.number(messages.count),
                "printedAt": WebDates.display(messages.first?.printedAt),
            ],
            section: "messages"
        )
    }

    /// A printed list as a CSV file (UTF-8 with BOM, for Excel).
    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let batch = try context.parameters.require("batch", as: Int64.self)
        let messages = try await self.outbox.printed(batch, actor: context.principal, logger: context.logger)
        let writer = CSVWriter()
        var bytes = CSVWriter.byteOrderMark
        writer.append(["Mã tin", "Người lao động", "Điện thoại", "Loại", "Nội dung"], to: &bytes)
        for message in messages {
            let kind = MessageKind(rawValue: message.kind)?.vietnamese ?? message.kind
            writer.append(["\(message.id)", message.workerName, message.phone ?? "", kind, message.body], to: &bytes)
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"tin-nhan-\(batch).csv\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await WebForm.read(request, context: context)
        _ = try await self.outbox.retry(id, actor: context.principal, logger: context.logger)
        return WebRenderer.redirect("/messages?done=retried")
    }

    /// One message as the templates show it.
    static func row(_ message: OutboxMessage) -> [String: Any] {
        [
            "id": message.id, "worker": message.workerId, "name": message.workerName, "phone": message.phone ?? "",
            "kind": MessageKind(rawValue: message.kind)?.vietnamese ?? message.kind, "body": message.body,
            "state": MessageState(rawValue: message.state)?.vietnamese ?? message.state, "stateCode": message.state,
            "failed": message.state == MessageState.failed.rawValue, "attempts": message.attempts, "error": message.lastError ?? "",
            "created": WebDates.display(message.createdAt), "sent": WebDates.display(message.sentAt),
        ]
    }
}
