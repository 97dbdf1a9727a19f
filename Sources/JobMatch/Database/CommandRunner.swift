import Foundation

/// Runs a program to completion, optionally as another (unprivileged) account when we are root.
struct CommandRunner: Sendable {
    /// The account to switch to with `runuser`, or nil to run as ourselves.
    let account: String?

    /// The result of one command.
    struct Outcome {
        let status: Int32
        let output: String
    }

    /// Runs `executable` with `arguments` in `directory`, capturing stdout and stderr together.
    func run(_ executable: String, _ arguments: [String], in directory: String) throws -> Outcome {
        let process = Process()
        if let account {
            process.executableURL = URL(fileURLWithPath: Self.runuser)
            process.arguments = ["-u", account, "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C.UTF-8"
        environment["LANG"] = "C.UTF-8"
        process.environment = environment
        // Output goes to a file, not a pipe: `pg_ctl start` leaves a server running that would
        // hold a pipe open forever.
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("jobmatch-cmd-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? output.close()
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static var runuser: String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "/usr/sbin/runuser"
    }
}
