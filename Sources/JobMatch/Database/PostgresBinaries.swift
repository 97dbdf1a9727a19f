import Foundation

/// Where the PostgreSQL server programs (`initdb`, `pg_ctl`) are on this machine.
struct PostgresBinaries: Sendable {
    let directory: String

    var initdb: String { self.directory + "/initdb" }
    var pgCtl: String { self.directory + "/pg_ctl" }

    /// The server binaries are missing: what to install or set instead.
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install them (Debian: apt-get install postgresql) or set DATABASE_URL to an existing server."
        }
    }

    /// Looks only in `JOBMATCH_PG_BIN` if set; otherwise in `PATH`, then Debian's `/usr/lib/postgresql/<version>/bin`, newest first.
    static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        debianRoot: String = "/usr/lib/postgresql"
    ) throws -> PostgresBinaries {
        var candidates: [String] = []
        if let explicit = environment["JOBMATCH_PG_BIN"], !explicit.isEmpty {
            // An explicit choice is the only place looked at.
            let binaries = PostgresBinaries(directory: explicit)
            guard FileManager.default.isExecutableFile(atPath: binaries.initdb) else { throw Missing() }
            return binaries
        }
        for entry in (environment["PATH"] ?? "").split(separator: ":") {
            let initdb = URL(fileURLWithPath: String(entry)).appendingPathComponent("initdb").path
            if FileManager.default.isExecutableFile(atPath: initdb) {
                candidates.append(URL(fileURLWithPath: initdb).resolvingSymlinksInPath().deletingLastPathComponent().path)
            }
        }
        let debian = debianRoot
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append("\(debian)/\(version)/bin")
        }
        for directory in candidates {
            let binaries = PostgresBinaries(directory: directory)
            if FileManager.default.isExecutableFile(atPath: binaries.initdb),
                FileManager.default.isExecutableFile(atPath: binaries.pgCtl)
            {
                return binaries
            }
        }
        throw Missing()
    }
}
