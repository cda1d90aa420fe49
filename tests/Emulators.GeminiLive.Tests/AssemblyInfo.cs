// The shared test-support project (fixtures for local servers) targets Linux, like CI and AppHost.
using System.Runtime.Versioning;

[assembly: SupportedOSPlatform("linux")]
