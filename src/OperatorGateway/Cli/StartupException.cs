namespace TicketGateway.OperatorGateway.Cli;

/// <summary>
/// Wrong configuration found while starting (exit 2): a setting the binder cannot convert, a port
/// already taken, a certificate that cannot be read. The message is the one line printed on stderr.
/// </summary>
internal sealed class StartupException(string message, Exception inner) : Exception(message, inner);
