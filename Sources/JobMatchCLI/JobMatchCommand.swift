import ArgumentParser

/// `jobmatch`: the Job Service Centre's matching and placement service.
@main
struct JobMatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobmatch",
        abstract: "Registry, matching and placement counting for the provincial Job Service Centre.",
        subcommands: [
            Serve.self, Migrate.self, Staff.self, Employer.self, Webhooks.self, Import.self, Export.self, Seed.self, Match.self, Audit.self,
        ]
    )
}
