using System.Runtime.Versioning;

[assembly: SupportedOSPlatform("linux")]
[assembly: Xunit.TestCollectionOrderer(VoicePlatform.EndToEnd.Tests.SharedPlatformFirst.TypeName, VoicePlatform.EndToEnd.Tests.SharedPlatformFirst.AssemblyName)]
