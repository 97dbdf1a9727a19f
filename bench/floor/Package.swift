// swift-tools-version:6.0
// The least the employer API's stack can do per POST (bench/stack_floor.py): Hummingbird reads
// the request, PostgresNIO runs one prepared INSERT, the answer is 201 with the new id. No
// authentication, validation, idempotency or audit: the floor under `POST /api/v1/vacancies`.
import PackageDescription

let package = Package(
    name: "StackFloor",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .executableTarget(
            name: "StackFloor",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        )
    ]
)
