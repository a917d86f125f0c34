import SkillForge

/// A number of runs in words, for messages: `1 run`, `1,200 runs`.
func runCount(_ count: Int) -> String {
    "\(Readable.count(count)) run\(count == 1 ? "" : "s")"
}
