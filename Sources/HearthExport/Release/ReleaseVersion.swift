/// Semantic versions (semver.org 2.0.0) as releases use them.
public enum ReleaseVersion {
    /// Whether `text` is `MAJOR.MINOR.PATCH` with an optional `-prerelease` and `+build`.
    public static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= 128 else { return false }
        var rest = Substring(text)
        var build: Substring?
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...]
            rest = rest[..<plus]
        }
        var prerelease: Substring?
        if let dash = rest.firstIndex(of: "-") {
            prerelease = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3, core.allSatisfy(isNumber) else { return false }
        if let prerelease, !identifiers(prerelease, numbersCanonical: true) { return false }
        if let build, !identifiers(build, numbersCanonical: false) { return false }
        return true
    }

    /// Whether `a` comes before `b` by semver precedence: core numbers first, a pre-release
    /// before its release, build metadata ignored. Nil unless both are valid.
    public static func precedes(_ a: String, _ b: String) -> Bool? {
        guard isValid(a), isValid(b) else { return nil }
        let (coreA, preA) = parts(a)
        let (coreB, preB) = parts(b)
        if coreA != coreB { return coreA.lexicographicallyPrecedes(coreB) }
        switch (preA, preB) {
        case (nil, _): return false
        case (_, nil): return true
        case (let preA?, let preB?):
            for (x, y) in zip(preA, preB) where x != y {
                switch (Int(x), Int(y)) {
                case (let m?, let n?): return m < n
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return x < y
                }
            }
            return preA.count < preB.count
        }
    }

    /// The core numbers and the pre-release identifiers of a valid version.
    private static func parts(_ text: String) -> ([Int], [Substring]?) {
        let withoutBuild = text.prefix { $0 != "+" }
        let core = withoutBuild.prefix { $0 != "-" }
        let numbers = core.split(separator: ".").map { Int($0) ?? Int.max }
        guard core.endIndex < withoutBuild.endIndex else { return (numbers, nil) }
        return (numbers, withoutBuild[withoutBuild.index(after: core.endIndex)...].split(separator: "."))
    }

    private static func isNumber(_ part: Substring) -> Bool {
        !part.isEmpty && part.allSatisfy(\.isASCIIDigit) && (part == "0" || part.first != "0")
    }

    private static func identifiers(_ text: Substring, numbersCanonical: Bool) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard !part.isEmpty, part.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter || $0 == "-" }) else { return false }
            return !numbersCanonical || !part.allSatisfy(\.isASCIIDigit) || isNumber(part)
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
