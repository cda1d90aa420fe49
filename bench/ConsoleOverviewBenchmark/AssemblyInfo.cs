using System.Runtime.Versioning;

// The platform it boots runs only on Linux (local PostgreSQL/Redis/RabbitMQ binaries, POSIX signals).
[assembly: SupportedOSPlatform("linux")]
