using Microsoft.Extensions.Configuration;
using TicketGateway.OperatorGateway.Cli;

namespace TicketGateway.OperatorGateway;

/// <summary>
/// One configuration stack for the server and the CLI, so both see the same database:
/// appsettings.json beside the executable, then appsettings.{Environment}.json, then the file
/// given with --config, then environment variables, then command-line settings.
/// </summary>
internal static class GatewayConfiguration
{
    public static void Apply(IConfigurationManager configuration, string environment, string? configFile, string[] settings)
    {
        configuration.Sources.Clear();
        var baseDir = AppContext.BaseDirectory;
        configuration.AddJsonFile(Path.Combine(baseDir, "appsettings.json"), optional: true, reloadOnChange: false);
        configuration.AddJsonFile(Path.Combine(baseDir, $"appsettings.{environment}.json"), optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new CliException($"The configuration file '{configFile}' (--config) does not exist.");
            }

            configuration.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(settings);
    }
}
