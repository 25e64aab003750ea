/// The version printed by `--version` and recorded in run provenance.
public enum RetrainVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
