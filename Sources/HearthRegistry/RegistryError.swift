import HearthCore

/// Errors of the node registry.
public typealias RegistryError = ModuleError<RegistryDomain>
public enum RegistryDomain {}

extension ModuleError where Domain == RegistryDomain {
    public static var notFound: ErrorCode { "registry.not_found" }
    public static var conflict: ErrorCode { "registry.conflict" }
    public static var badName: ErrorCode { "registry.bad_name" }
    public static var storage: ErrorCode { "registry.storage" }
    public static var weakPassphrase: ErrorCode { "registry.weak_passphrase" }
}
