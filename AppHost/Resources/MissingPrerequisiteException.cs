namespace VoicePlatform.AppHost.Resources;

/// <summary>A binary the platform needs is not installed; the message says which package provides it.</summary>
public sealed class MissingPrerequisiteException(string message) : Exception(message);
