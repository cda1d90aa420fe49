using System.Runtime.Versioning;

[assembly: SupportedOSPlatform("linux")]
// One platform and one browser at a time: the machine is small and the tests share the platform.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
