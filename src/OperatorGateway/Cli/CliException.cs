namespace TicketGateway.OperatorGateway.Cli;

/// <summary>Wrong command-line input (exit 2); the message is the one line printed on stderr.</summary>
internal sealed class CliException(string message) : Exception(message);
