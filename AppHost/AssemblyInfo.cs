using System.Runtime.Versioning;

// AppHost runs the machine's own Debian binaries (PostgreSQL, Redis, RabbitMQ): Linux only.
[assembly: SupportedOSPlatform("linux")]
