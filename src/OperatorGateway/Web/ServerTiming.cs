using System.Diagnostics;
using System.Globalization;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>
/// <c>Server-Timing: app;dur=MS</c> on every console response: the server's time from the request
/// reaching the console to the response's first byte (a page is rendered whole before it is sent),
/// read by benchmarks/web.sh and shown by a browser's network panel. Only a duration, nothing about the data.
/// </summary>
internal static class ServerTiming
{
    public static void Add(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            context.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"app;dur={Stopwatch.GetElapsedTime(start).TotalMilliseconds:0.0}");
            return Task.CompletedTask;
        });
    }
}
