using System.Diagnostics;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>
/// With <c>TICKETGW_STARTUP_TRACE=1</c>, prints on stderr how long each start-up phase of a command took
/// (milliseconds since the process started), for the start-up breakdown in BENCHMARKS.md; otherwise nothing.
/// </summary>
internal static class StartupTrace
{
    /// <summary>The environment variable that turns the trace on.</summary>
    public const string Variable = "TICKETGW_STARTUP_TRACE";

    private static readonly bool s_on = Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>Writes one line: the phase that just ended and the time since the process started.</summary>
    public static void Mark(string phase)
    {
        if (s_on)
        {
            var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
            // Methods compiled at run time so far (ReadyToRun code is not counted) and the time the JIT took.
            Console.Error.WriteLine($"startup-trace {sinceStart.TotalMilliseconds,7:F1} ms  {phase}  (jit: {System.Runtime.JitInfo.GetCompiledMethodCount(),5} methods, {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,6:F1} ms)");
        }
    }
}
