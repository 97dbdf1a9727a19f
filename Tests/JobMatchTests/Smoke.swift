import HummingbirdTesting
import Testing
@testable import JobMatch

@Test func smoke() { #expect(1 == 1) }
