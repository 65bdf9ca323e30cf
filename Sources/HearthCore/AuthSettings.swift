/// How owners sign in: session lifetime and how many failed sign-ins are tolerated.
public struct AuthSettings: Sendable {
    /// Seconds a session lasts after sign-in (Deta's were 30 days).
    public var sessionLifetime: Double = 30 * 24 * 3600
    /// Failed sign-ins from one address within `failureWindow` before it must wait.
    public var failuresPerAddress = 10
    /// Failed sign-ins for one user name, from anywhere, within `failureWindow`.
    public var failuresPerAccount = 30
    /// Seconds over which failures count.
    public var failureWindow: Double = 15 * 60
    /// Seconds a one-time token handing a session to an instance host stays valid.
    public var handoffLifetime: Double = 60

    public init() {}
}
