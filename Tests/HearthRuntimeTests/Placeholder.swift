import Testing

@testable import HearthRuntime
