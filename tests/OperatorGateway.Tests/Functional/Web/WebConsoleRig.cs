using System.Text.Json;
using Microsoft.Playwright;
using MimeKit;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>
/// One real <c>ticketgw serve</c> (SQLite, or PostgreSQL through <see cref="WebConsoleRigOnPostgres"/>) with
/// Dovecot and the SMTP sink, three accounts and one headless Debian chromium, shared by the tests of a
/// class (starting them is most of a test's time).
/// </summary>
public sealed class WebConsoleRig : IAsyncLifetime, IDisposable
{
    public const string Password = "pass-word-1";

    /// <summary>Mail:Outbound:MaxAttachmentBytes of the rig's gateway, small so a test can go over it cheaply.</summary>
    public const int MaxAttachmentBytes = 300_000;
    private readonly TempDir _dir = new();
    private readonly TestDatabase _db;

    public WebConsoleRig()
        : this(StoreKind.Sqlite)
    {
    }

    internal WebConsoleRig(StoreKind engine) => _db = TestDatabase.Create(engine, Path.Combine(_dir.Path, "data"));

    internal DovecotServer Dovecot { get; private set; } = null!;

    internal SmtpSink Sink { get; private set; } = null!;

    internal GatewayProcess Gateway { get; private set; } = null!;

    internal Dictionary<string, string> Environment { get; private set; } = null!;

    internal ConsoleBrowser Browser { get; private set; } = null!;

    public string WebUrl => Gateway.WebUrl!;

    public async Task InitializeAsync()
    {
        Dovecot = await DovecotServer.StartAsync();
        Sink = await SmtpSink.StartAsync(Path.Combine(_dir.Path, "sink"));
        Environment = Dovecot.GatewayEnvironment(TimeSpan.FromSeconds(1));
        foreach (var (k, v) in ReplyStack.Environment(Sink.Port).Concat(GatewayProcess.WebEnvironment()).Concat(_db.Environment))
        {
            Environment[k] = v;
        }

        Environment["Web__QueueRefresh"] = "00:00:01";
        Environment["Mail__Outbound__MaxAttachmentBytes"] = MaxAttachmentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await GatewayProcess.InitStoreAsync(_dir.Path, Environment);
        foreach (var (login, role) in new[] { ("wang", "agent"), ("sun", "agent"), ("zhou", "agent"), ("zhao", "lead") })
        {
            var r = await GatewayProcess.RunCliWithInputAsync(_dir.Path, Environment, Password + "\n",
                "agents", "add", login, "--name", login, "--email", login + "@desk.test", "--role", role, "--password-stdin");
            Assert.True(r.ExitCode == 0, r.Stderr);
        }

        Gateway = await GatewayProcess.StartAsync(_dir.Path, Environment);
        Browser = await ConsoleBrowser.OpenAsync();
    }

    /// <summary>A fresh browser context (its own cookies) signed in as <paramref name="login"/>, in Chinese.</summary>
    public Task<IPage> SignInAsync(string login) => Browser.SignInAsync(WebUrl, login, Password);

    internal Task<CliResult> CliAsync(params string[] args) => GatewayProcess.RunCliAsync(_dir.Path, Environment, args);

    /// <summary>A ticket as <c>tickets show --json</c> prints it.</summary>
    public async Task<JsonElement> ShowAsync(string reference)
    {
        var r = await CliAsync("tickets", "show", reference, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement.Clone();
    }

    /// <summary>A phone ticket made with the CLI; its reference.</summary>
    public async Task<string> PhoneTicketAsync(string subject)
    {
        var r = await CliAsync("tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13800138000", "--subject", subject, "--text", "客户来电", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement.GetProperty("ref").GetString()!;
    }

    /// <summary>A customer's mail arriving in the support mailbox.</summary>
    public void Deliver(MimeMessage mail)
    {
        mail.To.Add(MailboxAddress.Parse(ReplyStack.Support));
        using var stream = new MemoryStream();
        mail.WriteTo(stream);
        Dovecot.Deliver(stream.ToArray());
    }

    /// <summary>Where screenshots go with the test results (the README shows copies of them under docs/).</summary>
    public static string Screenshot(string name)
    {
        var dir = Directory.CreateDirectory(Path.Combine(SmtpSink.RepoRoot, "artifacts", "screenshots"));
        return Path.Combine(dir.FullName, name);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await Sink.DisposeAsync();
        await Dovecot.DisposeAsync();
    }

    public void Dispose()
    {
        TestDatabase.ClearPools();
        _dir.Dispose();
    }
}
