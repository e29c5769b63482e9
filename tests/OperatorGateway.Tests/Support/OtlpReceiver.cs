using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>
/// A trace collector's OTLP/HTTP endpoint (<c>POST /v1/traces</c>, protobuf) on a real Kestrel socket on
/// 127.0.0.1: it asks for a bearer token, as a collector behind an authenticating proxy does, and keeps
/// the body of every export it accepted.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<byte[]> _exports = [];
    private int _refused;

    private OtlpReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Exports refused for a missing or wrong token.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public IReadOnlyList<byte[]> Exports
    {
        get
        {
            lock (_exports)
            {
                return [.. _exports];
            }
        }
    }

    public static async Task<OtlpReceiver> StartAsync(string token)
    {
        var app = LoopbackApp.Create();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization != $"Bearer {token}")
            {
                Interlocked.Increment(ref receiver._refused);
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            lock (receiver._exports)
            {
                receiver._exports.Add(body.ToArray());
            }

            // An empty ExportTraceServiceResponse.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        receiver.Url = LoopbackApp.Address(app);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
