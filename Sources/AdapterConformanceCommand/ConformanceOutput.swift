/// Where the conformance command writes its report: standard output, unless a test collects it.
public enum ConformanceOutput {
    /// Writes one line.
    @TaskLocal public static var writeLine: @Sendable (String) -> Void = { print($0) }
}
