using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TicketGateway.OperatorGateway.Hosting;

/// <summary>
/// The body of <c>/healthz</c>: the overall status and, per check, its status and a short reason, so
/// an operations engineer sees why the gateway is <c>Degraded</c> without reading the log.
/// </summary>
internal static class HealthzWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // Read by people and probes, never embedded in HTML: keep Chinese readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The key of the mail-leader check's data that says whether this node polls the mailbox.</summary>
    public const string LeadsMailbox = "leadsMailbox";

    private static void WriteValue(Utf8JsonWriter json, string key, object value)
    {
        switch (value)
        {
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case long or int:
                json.WriteNumber(key, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body, Options);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", entry.Status.ToString());
            // The check's own sentence; an exception adds only its message, never a stack trace.
            var reason = entry.Description ?? entry.Exception?.Message;
            if (entry.Description is not null && entry.Exception is not null)
            {
                reason += " " + entry.Exception.Message;
            }

            json.WriteString("reason", reason);
            foreach (var (key, value) in entry.Data)
            {
                WriteValue(json, key, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        // Whether this node leads the mailbox (the mail-leader check says so), at the top for load balancers and scripts.
        if (report.Entries.Values.SelectMany(e => e.Data).FirstOrDefault(d => d.Key == LeadsMailbox) is { Value: bool leads })
        {
            json.WriteBoolean(LeadsMailbox, leads);
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
