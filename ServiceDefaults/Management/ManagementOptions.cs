namespace VoicePlatform.ServiceDefaults.Management;

/// <summary>
/// Where /health, /alive and /metrics are served (configuration section <c>Management</c>). With a port they are served
/// on that port only, and the public ports answer 404 for them: the public Service exposes the API, not metrics or
/// dependency status. Without one (0, the default for a bare process and in-process tests) they are on every port.
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>The management port (HTTP/1.1); 0 serves the management endpoints on every port, as before.</summary>
    public int Port { get; set; }

    /// <summary>The address the management port binds: <c>*</c> (every interface, for Prometheus and kubelet probes on
    /// the pod IP) or an IP address such as 127.0.0.1.</summary>
    public string Address { get; set; } = "*";
}
