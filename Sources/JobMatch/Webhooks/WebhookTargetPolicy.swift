import Foundation
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Which URLs an employer may register as a webhook, so that outbound calls never become a way
/// into the centre's network: https only, and no host that resolves to a private, loopback,
/// link-local, carrier-grade NAT, multicast, unspecified or IPv4-embedding (NAT64, 6to4, Teredo,
/// IPv4-compatible) address, unless an admin allows it in configuration (`WEBHOOK_ALLOW_HTTP`,
/// `WEBHOOK_ALLOW_PRIVATE_TARGETS`; the tests allow loopback). The check runs when the webhook is
/// registered and again before every delivery; the name is resolved off the event loops (on a
/// queue of its own) within `resolveTimeout`, and the delivery connects to the address that was checked.
public struct WebhookTargetPolicy: Sendable {
    public var allowHTTP = false
    public var allowPrivateTargets = false
    /// How long a name may take to resolve before the check refuses it (`WEBHOOK_RESOLVE_SECONDS`).
    public var resolveTimeout: Duration = .seconds(5)
    /// Resolves a host name to its IPv4 (4 bytes) and IPv6 (16 bytes) addresses; tests replace it.
    public var resolver: @Sendable (String) async throws -> [[UInt8]] = WebhookTargetPolicy.systemResolve

    public init(allowHTTP: Bool = false, allowPrivateTargets: Bool = false) {
        self.allowHTTP = allowHTTP
        self.allowPrivateTargets = allowPrivateTargets
    }

    /// A URL that may be called, and the address to connect to (nil when private targets are
    /// allowed: then nothing is checked and the HTTP client resolves the name itself).
    struct Target: Sendable {
        let url: URL
        let host: String
        let address: String?
    }

    /// The target if it may be called; otherwise a 422 naming `field`, in Vietnamese.
    func check(_ text: String, field: String = "url") async throws -> Target {
        guard text.count <= 2000, let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty, let url = components.url
        else { throw AppError.invalid(field: field, "Địa chỉ webhook phải là một URL đầy đủ, ví dụ https://hr.example.vn/jobmatch.") }
        guard scheme == "https" || (scheme == "http" && self.allowHTTP) else {
            throw AppError.invalid(field: field, "Webhook phải dùng https.")
        }
        guard components.user == nil, components.password == nil else {
            throw AppError.invalid(field: field, "URL webhook không được chứa tên đăng nhập hoặc mật khẩu.")
        }
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard !self.allowPrivateTargets else { return Target(url: url, host: name, address: nil) }
        let addresses: [[UInt8]]
        do {
            addresses = try await Self.within(self.resolveTimeout) { try await self.resolver(name) }
        } catch is ResolveTimedOut {
            throw AppError.invalid(field: field, "Tên máy \(name) không được phân giải kịp thời hạn; hãy thử lại sau.")
        } catch {
            addresses = []
        }
        guard let first = addresses.first else { throw AppError.invalid(field: field, "Không phân giải được tên máy \(name).") }
        if addresses.contains(where: Self.isInternal) {
            throw AppError.invalid(field: field, "Webhook không được trỏ tới địa chỉ nội bộ, loopback hoặc link-local.")
        }
        return Target(url: url, host: name, address: Self.text(of: first))
    }

    /// The resolution took longer than `resolveTimeout`.
    struct ResolveTimedOut: Error {}

    /// `body`'s result, or `ResolveTimedOut` once `limit` has passed; a body still running then is
    /// cancelled and left behind (a blocked `getaddrinfo` cannot be interrupted, and must not hold the caller).
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = FirstResult<T>()
        return try await withCheckedThrowingContinuation { continuation in
            race.wait(continuation)
            let resolving = Task { race.offer(await Result(catching: body)) }
            let timer = Task {
                try? await Task.sleep(for: limit)
                if !Task.isCancelled { race.offer(.failure(ResolveTimedOut())) }
            }
            race.whenDone {
                resolving.cancel()
                timer.cancel()
            }
        }
    }

    /// Where blocking `getaddrinfo` calls run: four threads of their own, so a stalled DNS server
    /// holds neither the event loops, nor NIO's shared pool (bcrypt, static files), nor the threads
    /// that run Swift's tasks (on Linux those are Dispatch's global pool, which a Dispatch queue of
    /// our own would also draw from). Past four stalled calls the next wait their turn, and `within`
    /// gives up on them in time.
    private static let resolverThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// `getaddrinfo` on `resolverThreads`, never on an event loop or a thread that runs tasks.
    @Sendable static func systemResolve(_ name: String) async throws -> [[UInt8]] {
        try await Self.resolverThreads.runIfActive { Self.getaddrinfoAddresses(name) }
    }

    /// The host's IPv4 and IPv6 addresses by a blocking `getaddrinfo` (a literal address is its own answer).
    static func getaddrinfoAddresses(_ name: String) -> [[UInt8]] {
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

    /// The printed form of a 4- or 16-byte address (`inet_ntop`).
    static func text(of bytes: [UInt8]) -> String? {
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let printed = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) }
        return printed == nil ? nil : String(cString: buffer)
    }

    /// True for addresses that are not on the public internet, or that embed an IPv4 address a
    /// relay would reach for us (NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`, 6to4 `2002::/16`,
    /// Teredo `2001::/32`, IPv4-compatible `::a.b.c.d`), and the deprecated site-local `fec0::/10`.
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
        if bytes[0..<12].allSatisfy({ $0 == 0 }) { return true }  // ::, ::1 and IPv4-compatible ::a.b.c.d
        if bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B { return true }  // NAT64 64:ff9b::/96, 64:ff9b:1::/48
        if bytes[0] == 0x20 && bytes[1] == 0x02 { return true }  // 6to4 2002::/16
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0 && bytes[3] == 0 { return true }  // Teredo 2001::/32
        return (bytes[0] & 0xFE) == 0xFC  // unique local fc00::/7
            || (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80)  // link-local fe80::/10
            || (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0xC0)  // site-local fec0::/10
            || bytes[0] == 0xFF  // multicast
    }
}

/// The first of several results to arrive, handed to one waiting continuation.
private final class FirstResult<T: Sendable>: Sendable {
    private let state = Mutex<(waiter: CheckedContinuation<T, any Error>?, done: Bool, cleanup: (@Sendable () -> Void)?)>((nil, false, nil))

    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        self.state.withLock { $0.waiter = continuation }
    }

    /// Runs `cleanup` once a result was taken (at once if one was).
    func whenDone(_ cleanup: @escaping @Sendable () -> Void) {
        let done = self.state.withLock { state -> Bool in
            if !state.done { state.cleanup = cleanup }
            return state.done
        }
        if done { cleanup() }
    }

    func offer(_ result: Result<T, any Error>) {
        let (waiter, cleanup) = self.state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            defer {
                state.waiter = nil
                state.cleanup = nil
            }
            return (state.waiter, state.cleanup)
        }
        waiter?.resume(with: result)
        cleanup?()
    }
}

extension Result where Failure == any Error {
    /// The result of an async throwing body.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
