namespace OpenCdn.ControlPlane.Migration;

/// <summary>The migration will not run (or go on) as asked: the message says why, in one line, and what to change.</summary>
internal sealed class MigrationRefusedException(string message) : Exception(message);
