namespace StopSync.Jobs.Sources.Acquisition;

/// <summary>A source could not be acquired; the message names the source, the address or path and the reason.</summary>
public sealed class SourceAcquisitionException(string message, Exception? inner = null) : Exception(message, inner);
