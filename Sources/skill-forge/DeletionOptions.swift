import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `--dry-run` and `--yes` flags of commands that delete runs, and the question they ask.
///
/// Deleting more than ``handful`` runs asks first on a terminal (`delete 120 runs of
/// summarise? [y/N]`); without a terminal it is refused unless `--yes`, so a script never
/// hangs on a question nobody sees.
struct DeletionOptions: ParsableArguments {
    /// The most runs deleted without asking.
    static let handful = 10

    @Flag(help: "Only count the runs that would be deleted.")
    var dryRun = false

    @Flag(name: .shortAndLong, help: "Delete more than \(DeletionOptions.handful) runs without asking.")
    var yes = false

    /// Returns when `count` runs may go: a handful, `--yes`, or a yes at the terminal.
    ///
    /// - Parameter deletion: What would be deleted, in words: `12 runs of summarise`.
    /// - Throws: ``Refusal/confirmationNeeded(deletion:)`` when standard input is not a
    ///   terminal, ``Refusal/notConfirmed`` when the answer is not yes.
    func confirm(deleting count: Int, _ deletion: String) throws {
        guard count > Self.handful, !yes else { return }
        guard isatty(STDIN_FILENO) == 1 else { throw Refusal.confirmationNeeded(deletion: deletion) }
        printPrompt("delete \(deletion)? [y/N] ")
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else { throw Refusal.notConfirmed }
    }
}
