using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Duty;

namespace TicketGateway.Tickets.Tests.Unit.Delivery;

public sealed class RenamedSettingsTests
{
    [Fact]
    public void Bind_OldWebhookKeys_StillSetTheRenamedOptions()
    {
        var webhook = Bind(new()
        {
            ["Alerts:Webhook:RetryDelay"] = "00:00:03",
            ["Alerts:Webhook:RetryInterval"] = "00:05:00",
            ["Alerts:Webhook:MaxAttempts"] = "7",
        }).Webhook;

        Assert.Equal(TimeSpan.FromSeconds(3), webhook.PostRetryDelay);
        // The old fixed interval is a backoff whose base and maximum are that interval.
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)), (webhook.RetryBaseDelay, webhook.RetryMaxDelay));
        Assert.Equal(7, webhook.RetryMaxAttempts);
    }

    [Fact]
    public void Bind_OldAndNewKeyBothSet_NewKeyWins()
    {
        var webhook = Bind(new()
        {
            ["Alerts:Webhook:MaxAttempts"] = "7",
            ["Alerts:Webhook:RetryMaxAttempts"] = "9",
            ["Alerts:Webhook:RetryInterval"] = "00:05:00",
            ["Alerts:Webhook:RetryMaxDelay"] = "00:20:00",
        }).Webhook;

        Assert.Equal(9, webhook.RetryMaxAttempts);
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(20)), (webhook.RetryBaseDelay, webhook.RetryMaxDelay));
    }

    [Fact]
    public async Task StartAsync_OldKeyInConfiguration_WarnsNamingTheNewKey()
    {
        var logs = new List<string>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mail:Smtp:RetryMin"] = "00:00:01",
            ["Mail:Smtp:RetryMaxDelay"] = "00:01:00",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(b => b.AddProvider(new ListLoggerProvider(logs)));
        RenamedSettingsWarning.Add(services, "Mail:Smtp", ("RetryMin", "RetryBaseDelay"), ("RetryMax", "RetryMaxDelay"));
        RenamedSettingsWarning.Add(services, "Alerts:Webhook", ("MaxAttempts", "RetryMaxAttempts"));
        await using var provider = services.BuildServiceProvider();

        var hosted = Assert.Single(provider.GetServices<IHostedService>());
        await hosted.StartAsync(CancellationToken.None);

        var line = Assert.Single(logs);
        Assert.Equal("Configuration key Mail:Smtp:RetryMin is deprecated; use Mail:Smtp:RetryBaseDelay (the old key still works for now)", line);
    }

    private static AlertsOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(AlertsOptions.Section).Get<AlertsOptions>()!;

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(List<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (lines)
                {
                    lines.Add(formatter(state, exception));
                }
            }
        }
    }
}
