namespace StopSync.Jobs.Bundles;

/// <summary>A result bundle that cannot be published; the message names the bundle file, and the line where there is one.</summary>
public sealed class ResultBundleException(string message, Exception? inner = null) : Exception(message, inner);
