using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Operations;

/// <summary>
/// Issue 14, must-show 5: the real <c>ticketgw serve</c> takes a customer's mail from Dovecot and an
/// operator's complaint over gRPC; its log (plain or JSON lines) shows their phone number and address
/// masked, unless <c>Logging:ShowPersonalData</c> is true.
/// </summary>
public sealed class LogMaskingTests
{
    private const string Email = "wang.wei@example.net";
    private const string Phone = "13800138000";

    [Theory]
    [InlineData("simple", false)]
    [InlineData("json", false)]
    [InlineData("simple", true)]
    public async Task Serve_MailAndComplaint_LogShowsPhoneAndEmailMaskedUnlessShowPersonalData(string formatter, bool show)
    {
        await using var dovecot = await DovecotServer.StartAsync();
        await using var peer = await OperatorPeer.StartAsync();
        using var dir = new TempDir();
        var environment = dovecot.GatewayEnvironment(TimeSpan.FromSeconds(1));
        foreach (var (key, value) in Exchange.Settings(peer.Url))
        {
            environment[key] = value;
        }

        environment["Logging__Console__FormatterName"] = formatter;
        environment["Logging__ShowPersonalData"] = show ? "true" : "false";
        // The line per mail taken is a debug line of the mail intake.
        environment["Logging__LogLevel__TicketGateway.MailIntake"] = "Debug";
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, environment);

        dovecot.Deliver(Encoding.UTF8.GetBytes(
            $"From: {Email}\r\nTo: support@example.com\r\nSubject: 扣费咨询\r\nMessage-ID: <mask-1@example.net>\r\n"
            + $"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n我的号码 {Phone} 被扣费。\r\n"));
        using (var channel = GrpcChannel.ForAddress(gateway.Url))
        {
            await Exchange.Client(channel, Exchange.KeyA).SubmitComplaintAsync(Exchange.Complaint("MASK-1", Phone), deadline: DateTime.UtcNow.AddSeconds(15));
        }

        await Eventually.WaitAsync(() => gateway.Log, l => l.Contains("MASK-1", StringComparison.Ordinal) && l.Contains("@example.net", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the complaint and the mail in the log");
        var log = gateway.Log;
        if (show)
        {
            Assert.Contains(Email, log, StringComparison.Ordinal);
            Assert.Contains(Phone, log, StringComparison.Ordinal);
            return;
        }

        Assert.Contains("w***@example.net", log, StringComparison.Ordinal);
        Assert.Contains("138****8000", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, log, StringComparison.Ordinal);
        Assert.DoesNotContain(Phone, log, StringComparison.Ordinal);
        if (formatter == "json")
        {
            // JSON lines: every line of the console is one JSON object, its structured values masked too.
            var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
            var accepted = lines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("Message").GetString()!.Contains("MASK-1", StringComparison.Ordinal));
            Assert.Equal("138****8000", accepted.GetProperty("State").GetProperty("Msisdn").GetString());
        }
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("json")]
    public async Task Serve_RequestScopesInTheLog_ShowPhoneAndEmailMasked(string formatter)
    {
        using var dir = new TempDir();
        var environment = GatewayProcess.WebEnvironment();
        environment["Logging__Console__FormatterName"] = formatter;
        environment["Logging__Console__FormatterOptions__IncludeScopes"] = "true";
        // ASP.NET Core logs each request inside a scope that carries its path.
        environment["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, environment);

        using (var http = new HttpClient { BaseAddress = new Uri(gateway.WebUrl!) })
        {
            using var response = await http.GetAsync($"/customers/{Phone}/{Email}");
        }

        await Eventually.WaitAsync(() => gateway.Log, l => l.Contains("8000/w***@example.net", StringComparison.Ordinal) && l.Contains("RequestPath", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the request and its scope in the log");
        var log = gateway.Log;
        Assert.Contains("/customers/138****8000/w***@example.net", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, log, StringComparison.Ordinal);
        Assert.DoesNotContain(Phone, log, StringComparison.Ordinal);
        if (formatter == "json")
        {
            var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var scopes = lines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.TryGetProperty("Scopes", out _)).SelectMany(e => e.GetProperty("Scopes").EnumerateArray());
            Assert.Contains(scopes, s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("RequestPath", out var path) && path.GetString() == $"/customers/138****8000/w***@example.net");
        }
    }
}
