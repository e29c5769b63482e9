namespace TicketGateway.OperatorGateway;

internal static partial class Log
{
    [LoggerMessage(1300, LogLevel.Information, "Web console listening on {Url}")]
    public static partial void WebConsoleListening(ILogger logger, string url);

    // The token is meant for the log: whoever reads the server's log at first start creates the first admin with it.
    [LoggerMessage(1301, LogLevel.Warning, "No agent account exists yet: create the first admin at {Url}/setup?token={Token} (valid once, until an account exists; only from this machine unless Web:SetupFromAnyAddress is true)")]
    public static partial void WebSetupToken(ILogger logger, string url, string token);

    [LoggerMessage(1302, LogLevel.Information, "Agent {Login} signed in to the web console from {Address}")]
    public static partial void WebSignedIn(ILogger logger, string login, string address);

    [LoggerMessage(1303, LogLevel.Warning, "Web console sign-in refused for '{Login}' from {Address}")]
    public static partial void WebSignInRefused(ILogger logger, string login, string address);

    [LoggerMessage(1304, LogLevel.Warning, "The first admin {Login} was created on the web console's set-up page from {Address}")]
    public static partial void WebFirstAdmin(ILogger logger, string login, string address);

    [LoggerMessage(1305, LogLevel.Warning, "Web console: {Login} was refused {Path} (role {Role})")]
    public static partial void WebForbidden(ILogger logger, string login, string path, string role);
}
