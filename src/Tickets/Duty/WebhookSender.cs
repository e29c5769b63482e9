using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace TicketGateway.Tickets.Duty;

/// <summary>
/// Posts alerts to a chat group robot. The body is the text message both WeCom
/// (<c>text.mentioned_mobile_list</c>) and DingTalk (<c>at.atMobiles</c>) robots accept, so one
/// shape serves both. The client carries the standard resilience handler (retries with backoff
/// on 5xx, 408, 429 and transport errors, timeouts, circuit breaker).
/// </summary>
public sealed class WebhookSender(HttpClient client, IOptions<AlertsOptions> options)
{
    /// <summary>The name of the configured <see cref="HttpClient"/>.</summary>
    public const string ClientName = "TicketGateway.AlertWebhook";

    /// <summary>Posts one alert; returns null when the robot accepted it, else why not.</summary>
    public Task<string?> SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return SendAsync(alert.Text, alert.DutyMobile, cancellationToken);
    }

    /// <summary>Posts a text mentioning <paramref name="dutyMobiles"/> (comma-separated, or null); returns null when the robot accepted it, else why not.</summary>
    public async Task<string?> SendAsync(string text, string? dutyMobiles, CancellationToken cancellationToken)
    {
        var mobiles = (dutyMobiles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var body = new JsonObject
        {
            ["msgtype"] = "text",
            ["text"] = new JsonObject
            {
                ["content"] = text,
                ["mentioned_mobile_list"] = new JsonArray([.. mobiles.Select(m => (JsonNode)m)]),
            },
            ["at"] = new JsonObject
            {
                ["atMobiles"] = new JsonArray([.. mobiles.Select(m => (JsonNode)m)]),
                ["isAtAll"] = false,
            },
        };
        try
        {
            using var response = await client.PostAsJsonAsync(options.Value.Webhook.Url, body, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            }

            // Both robots answer 200 with {"errcode":0,...}; a non-zero errcode (bad key, rate limit) is a failure.
            var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (answer.Length > 0 && answer.TrimStart().StartsWith('{'))
            {
                using var doc = JsonDocument.Parse(answer);
                if (doc.RootElement.TryGetProperty("errcode", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() != 0)
                {
                    var message = doc.RootElement.TryGetProperty("errmsg", out var m) ? m.ToString() : "";
                    return $"robot refused: errcode {code.GetInt32()} {message}";
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TimeoutException
            or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
        {
            // The exception text never contains the URL's query (the robot key) for these types.
            return ex.GetType().Name + ": " + ex.Message;
        }
    }
}
