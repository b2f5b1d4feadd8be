namespace StopSync.Jobs.Sources;

/// <summary>A source file that cannot be used at all; the message names the file and the reason.</summary>
public sealed class SourceFormatException(string message, Exception? inner = null) : Exception(message, inner);
