/// What a command refuses to do without being told: overwrite a file, delete many runs
/// unasked, or delete nothing where the user expected something.
enum Refusal: Error, CustomStringConvertible {
    /// `--output` names an existing file and `--force` is absent.
    case fileExists(path: String)
    /// More than a handful of runs would go, `--yes` is absent and there is no terminal to ask on.
    case confirmationNeeded(deletion: String)
    /// The user answered no at the prompt.
    case notConfirmed
    /// `delete --skill` names a skill without stored runs.
    case skillNotFound(String)
    /// `serve` cannot bind its address (a port in use, an address not of this machine).
    case cannotListen(address: String, reason: String)
    /// `migrate` names the same database as its source and its destination.
    case sameDatabase(String)
    /// A command that works on an SQLite file (`backup`, `vacuum`, `reprice`) is given a PostgreSQL URL.
    case sqliteOnly(command: String, location: String)

    var description: String {
        switch self {
        case .fileExists(let path):
            "\(path) already exists; pass --force to overwrite it"
        case .confirmationNeeded(let deletion):
            "refusing to delete \(deletion) without confirmation, and standard input is not a terminal "
                + "to ask on; pass --yes to delete them (or --dry-run to only count them)"
        case .notConfirmed:
            "not confirmed; nothing was deleted"
        case .skillNotFound(let skill):
            "no runs of skill \(skill.debugDescription) are stored; nothing was deleted"
        case .cannotListen(let address, let reason):
            "cannot listen on \(address): \(reason); choose another --port (or --host)"
        case .sameDatabase(let location):
            "--from and --to both name \(location); nothing to copy"
        case .sqliteOnly(let command, let location):
            "\(command) works on SQLite files, and \(location) is a PostgreSQL database; "
                + (command == "reprice"
                    ? "runs are priced as they are recorded or imported (--pricing)"
                    : "use PostgreSQL's own tools (pg_dump, VACUUM) on it")
        }
    }
}
