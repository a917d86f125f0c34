import ArgumentParser

/// How a command prints data.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// Aligned columns for people.
    case table
    /// A JSON array (or object) for scripts; numbers are numbers.
    case json
    /// RFC 4180 CSV with a header row.
    case csv
}

/// The `--format` option of commands that print data.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table
}
