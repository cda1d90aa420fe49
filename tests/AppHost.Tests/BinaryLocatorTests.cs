using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.AppHost.Tests;

public class BinaryLocatorTests
{
    [Fact]
    public void Missing_binary_names_the_debian_package_to_install()
    {
        var error = Assert.Throws<MissingPrerequisiteException>(() =>
            BinaryLocator.Find("no-such-binary-vp", "some-package", "/nonexistent/*/bin"));
        Assert.Contains("apt-get install -y some-package", error.Message);
    }

    [Fact]
    public void Finds_postgres_in_its_versioned_debian_directory()
    {
        var path = BinaryLocator.Find("postgres", "postgresql", "/usr/lib/postgresql/*/bin");
        Assert.True(File.Exists(path), path);
    }
}
