using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TicketGateway.TestSupport;

/// <summary>Keeps every log line of Information and above (message, then the exception if any) of an in-process host.</summary>
internal sealed class LogCollector : ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>All lines so far, one per line, as a process's output would read.</summary>
    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));

    public void Dispose()
    {
    }
}
