import Foundation
import Testing

/// The suite's own installers (`PythonTools`, `SystemPackages`): what a fresh machine relies on
/// for `swift test` to pass with nothing installed by hand.
@Suite("Test tools installed on first use")
struct TestToolsTests {
    /// A folder of its own for each test, removed after.
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jm-tools-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("every tool the suite drives is installed and runs: Chromium, Playwright, schemathesis, openpyxl, zxing-cpp")
    func everyTool() async throws {
        // `.ci/run` runs this one first, so that a fresh machine installs them before the whole
        // suite starts rather than while it runs (a first install takes minutes of the machine).
        let chromium = try await BrowserTests.chromium()
        let pythons = [
            (try await BrowserTests.python(), "import playwright, axe_playwright_python"),
            (try await ExportReader.python(), "import openpyxl"),
            (try await QRDecoder.python(), "import zxingcpp, PIL"),
        ]
        for (python, check) in pythons {
            let run = try await ChildProcess.run([python, "-c", check])
            #expect(run.status == 0, "\(python): \(run.output.suffix(1000))")
        }
        let schemathesis = try await ChildProcess.run([try await ContractTests.schemathesis(), "--version"])
        #expect(schemathesis.status == 0 && schemathesis.output.contains("schemathesis"), "\(schemathesis.output.suffix(1000))")
        let office = try await ChildProcess.run([try await OfficeReader.install(), "--version"], environment: ["HOME": NSTemporaryDirectory()])
        #expect(office.status == 0 && office.output.contains("LibreOffice"), "\(office.output.suffix(1000))")
        let browser = try await ChildProcess.run([chromium, "--version"])
        #expect(browser.status == 0 && browser.output.contains("Chromium"), "\(browser.output.suffix(1000))")
    }

    @Test("three tests asking for the same virtualenv at once get one working virtualenv, built once")
    func concurrentBuilders() async throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directories = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<3 { group.addTask { try await PythonTools.virtualenv("six", packages: ["six==1.17.0"], root: root) } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(directories) == [root + "/six"])
        let check = try await ChildProcess.run([root + "/six/bin/python", "-c", "import six; print(six.__version__)"])
        #expect(check.status == 0 && check.output.contains("1.17.0"), "\(check.output)")
    }

    @Test("a virtualenv left half-built by a killed run is removed and built again, not trusted")
    func halfBuiltIsRebuilt() async throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // setup: what a run killed during `pip install` leaves: the folder, no `.installed` marker.
        try FileManager.default.createDirectory(atPath: root + "/six/bin", withIntermediateDirectories: true)
        try "left over".write(toFile: root + "/six/bin/leftover", atomically: true, encoding: .utf8)
        // act
        let directory = try await PythonTools.virtualenv("six", packages: ["six==1.17.0"], root: root)
        // verify
        #expect(!FileManager.default.fileExists(atPath: directory + "/bin/leftover"))
        #expect(FileManager.default.fileExists(atPath: directory + "/.installed"))
        let check = try await ChildProcess.run([directory + "/bin/python", "-c", "import six"])
        #expect(check.status == 0, "\(check.output)")
    }
}
