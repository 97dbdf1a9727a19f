import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which URLs an employer may register as a webhook, so that outbound calls never become a way
/// into the centre's network: https only, and no host that resolves to a private, loopback,
/// link-local, carrier-grade NAT, multicast or unspecified address, unless an admin allows it in
/// configuration (`WEBHOOK_ALLOW_HTTP`, `WEBHOOK_ALLOW_PRIVATE_TARGETS`; the tests allow loopback).
/// The check runs when the webhook is registered and again before every delivery.
public struct WebhookTargetPolicy: Sendable {
    public var allowHTTP = false
    public var allowPrivateTargets = false

    public init(allowHTTP: Bool = false, allowPrivateTargets: Bool = false) {
        self.allowHTTP = allowHTTP
        self.allowPrivateTargets = allowPrivateTargets
    }

    /// The URL if it may be called; otherwise a 422 naming `field`, in Vietnamese.
    func check(_ text: String, field: String = "url") throws -> URL {
        guard text.count <= 2000, let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty, let url = components.url
        else { throw AppError.invalid(field: field, "Địa chỉ webhook phải là một URL đầy đủ, ví dụ https://hr.example.vn/jobmatch.") }
        guard scheme == "https" || (scheme == "http" && self.allowHTTP) else {
            throw AppError.invalid(field: field, "Webhook phải dùng https.")
        }
        guard components.user == nil, components.password == nil else {
            throw AppError.invalid(field: field, "URL webhook không được chứa tên đăng nhập hoặc mật khẩu.")
        }
        if !self.allowPrivateTargets {
            let addresses = Self.resolve(host)
            guard !addresses.isEmpty else { throw AppError.invalid(field: field, "Không phân giải được tên máy \(host).") }
            if addresses.contains(where: Self.isInternal) {
                throw AppError.invalid(field: field, "Webhook không được trỏ tới địa chỉ nội bộ, loopback hoặc link-local.")
            }
        }
        return url
    }

    /// The host's IPv4 and IPv6 addresses (a literal address is its own answer).
    static func resolve(_ host: String) -> [[UInt8]] {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if info.pointee.ai_family == AF_INET, let address = info.pointee.ai_addr {
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin_addr) { addresses.append(Array($0)) }
                }
            } else if info.pointee.ai_family == AF_INET6, let address = info.pointee.ai_addr {
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { addresses.append(Array($0)) }
                }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }

    /// True for addresses that are not on the public internet.
    static func isInternal(_ bytes: [UInt8]) -> Bool {
        if bytes.count == 4 {
            let (a, b) = (bytes[0], bytes[1])
            return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && (16...31).contains(b))
                || (a == 192 && b == 168) || (a == 100 && (64...127).contains(b)) || a >= 224
                || (a == 192 && b == 0 && bytes[2] == 0) || (a == 198 && (18...19).contains(b))
        }
        guard bytes.count == 16 else { return true }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return Self.isInternal(Array(bytes[12..<16]))  // IPv4-mapped
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
        return (bytes[0] & 0xFE) == 0xFC || (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80) || bytes[0] == 0xFF
    }
}
