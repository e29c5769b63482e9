namespace TicketGateway.Tickets.Tests;

internal static class TestPaths
{
    /// <summary>
    /// The build output folder of another project under tests/, built in the same configuration as
    /// this test assembly (…/tests/X.Tests/bin/CONFIG/TFM/ → …/tests/PROJECT/bin/CONFIG/TFM/).
    /// </summary>
    public static string BuildOutput(string projectUnderTests)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var testsDir = here.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(testsDir, projectUnderTests, "bin", configuration, tfm);
    }
}
