using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>
/// Says in one line why Kestrel could not start, naming the configuration keys to look at: a taken
/// port names the endpoint's URL key, an unreadable certificate the certificate's path key.
/// </summary>
internal static class StartupFailure
{
    public static string? Describe(Exception ex, IConfiguration configuration)
    {
        if (ex is IOException { InnerException: AddressInUseException or SocketException } bind)
        {
            var urls = Keys(configuration, "Url", bind.Message);
            var what = ex.InnerException is AddressInUseException ? "the address is already in use; stop what listens there or change the URL" : ex.InnerException!.Message;
            return $"Cannot listen on {(urls.Length == 0 ? "the configured address (Urls or Kestrel:Endpoints)" : urls)}: {what}.";
        }

        if (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            var paths = Keys(configuration, "Certificate:Path", (ex as FileNotFoundException)?.FileName);
            return paths.Length == 0
                ? null
                : $"Cannot read the certificate {paths}: {ex.Message.TrimEnd('.')}.";
        }

        return null;
    }

    // "Kestrel:Endpoints:Grpc:Url (http://127.0.0.1:5080)"; where the failure names one of several
    // endpoints, only that one.
    private static string Keys(IConfiguration configuration, string setting, string? mentioned)
    {
        var all = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => (Key: $"{e.Path}:{setting}", Value: e[setting]))
            .Where(e => !string.IsNullOrEmpty(e.Value))
            .ToList();
        if (configuration["Kestrel:Certificates:Default:Path"] is { Length: > 0 } defaultPath && setting == "Certificate:Path")
        {
            all.Add(("Kestrel:Certificates:Default:Path", defaultPath));
        }

        var named = mentioned is null ? [] : all.Where(e => mentioned.Contains(e.Value!, StringComparison.OrdinalIgnoreCase)).ToList();
        return string.Join(", ", (named.Count > 0 ? named : all).Select(e => $"{e.Value} ({e.Key})"));
    }
}
