/// The version of the Skill Forge library and command-line tool.
public enum SkillForgeVersion {
    /// The current version, following semantic versioning.
    public static let current = "0.1.0"
}
