using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TicketGateway.TestSupport;

/// <summary>
/// A chat robot on a real Kestrel socket on 127.0.0.1: answers the first <c>failFirst</c> posts
/// with HTTP 500, then as WeCom does (200, <c>{"errcode":0}</c>), and keeps what it accepted.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<JsonElement> _accepted = [];
    private int _failuresLeft;
    private int _attempts;

    private WebhookReceiver(WebApplication app, int failFirst)
    {
        _app = app;
        _failuresLeft = failFirst;
    }

    public string Url { get; private set; } = "";

    public int Attempts => Volatile.Read(ref _attempts);

    public IReadOnlyList<JsonElement> Accepted
    {
        get
        {
            lock (_accepted)
            {
                return [.. _accepted];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(int failFirst)
    {
        var app = LoopbackApp.Create();
        var receiver = new WebhookReceiver(app, failFirst);
        app.MapPost("/cgi-bin/webhook/send", async (HttpContext context) =>
        {
            Interlocked.Increment(ref receiver._attempts);
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0)
            {
                return Results.StatusCode(500);
            }

            lock (receiver._accepted)
            {
                receiver._accepted.Add(body.RootElement.Clone());
            }

            return Results.Json(new { errcode = 0, errmsg = "ok" });
        });
        await app.StartAsync();
        receiver.Url = LoopbackApp.Address(app) + "/cgi-bin/webhook/send?key=test-robot-key";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
