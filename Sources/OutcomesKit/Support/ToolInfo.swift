/// The tool's identity, written into manifests and `--version`.
public enum ToolInfo {
    public static let name = "outcomes"
    public static let version = "0.1.0"
}
