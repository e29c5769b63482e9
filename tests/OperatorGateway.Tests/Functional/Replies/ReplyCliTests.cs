using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Tests.Functional.Replies;

/// <summary>The reply side's start-up checks and CLI input checks, on the real executable (<see cref="ReplyCliStoreTests"/> has the commands on a store).</summary>
public sealed class ReplyCliTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("templates check")]
    public async Task Start_TemplateWithSyntaxError_StopsNamingFileLineAndColumn(string command)
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "templates", "zh-CN", "agent-reply.text.sbn");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "您好：\n{{ agent.text }} {{ for x in }}\n");
        var env = ReplyStack.Environment(null);
        env["Replies__TemplateFolder"] = Path.Combine(dir.Path, "templates");
        env["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0";

        var r = await GatewayProcess.RunCliAsync(dir.Path, env, command.Split(' '));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(file, r.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"line 2, column \d+", r.Stderr);
    }

    [Fact]
    public async Task Serve_SupportAddressWithoutSecret_StopsNamingTheKey()
    {
        using var dir = new TempDir();
        var env = ReplyStack.Environment(null);
        env.Remove("Mail__ReplyTokenSecret");

        var r = await GatewayProcess.RunCliAsync(dir.Path, env, "serve");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Mail:ReplyTokenSecret", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplatesList_TextAndJson_NameLanguagesAndSourceOfEachTemplate()
    {
        using var dir = new TempDir();
        var folder = Path.Combine(dir.Path, "templates");
        foreach (var (file, content) in new[]
        {
            ("zh-CN/late-delivery.subject.sbn", "延迟送达"), ("zh-CN/late-delivery.text.sbn", "您好。"),
            ("en/survey.subject.sbn", "Rate us"),
        })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file))!);
            await File.WriteAllTextAsync(Path.Combine(folder, file), content);
        }

        var env = ReplyStack.Environment(null);
        env["Replies__TemplateFolder"] = folder;

        var text = await GatewayProcess.RunCliAsync(dir.Path, env, "templates", "list");
        var json = await GatewayProcess.RunCliAsync(dir.Path, env, "templates", "list", "--json");

        Assert.Equal((0, 0), (text.ExitCode, json.ExitCode));
        var lines = text.Stdout.ReplaceLineEndings("\n").Split('\n');
        Assert.Matches(@"^NAME\s+LANGUAGES\s+SOURCE\s+USE$", lines[0].TrimEnd());
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^refund-approved\s+en,zh-CN\s+shipped\s+canned \(#template NAME\)\s*$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^survey\s+en,zh-CN\s+template folder\s+automatic\s*$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^late-delivery\s+zh-CN\s+template folder\s+canned"));
        Assert.Contains($"; template folder {folder}.", text.Stdout, StringComparison.Ordinal);

        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        var rows = doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal(TemplateNames.Required.Count + TemplateNames.Canned.Count + 1, rows.Count);
        foreach (var canned in TemplateNames.Canned)
        {
            Assert.Equal(("shipped", "canned", "en,zh-CN"), (rows[canned].GetProperty("source").GetString(), rows[canned].GetProperty("use").GetString(),
                string.Join(",", rows[canned].GetProperty("languages").EnumerateArray().Select(l => l.GetString()))));
        }

        Assert.Equal("folder", rows["survey"].GetProperty("source").GetString());
        Assert.Equal("shipped", rows["resolution"].GetProperty("source").GetString());
        Assert.Equal(["zh-CN"], rows["late-delivery"].GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
    }

    [Theory]
    [InlineData("reply", "TG-000001")]
    [InlineData("reply", "TG-000001", "--text", "a", "--template", "resolution")]
    [InlineData("outbox", "retry", "x")]
    [InlineData("outbox", "list", "--status", "lost")]
    public async Task Cli_WrongInput_ExitsTwoWithOneLine(params string[] args)
    {
        using var dir = new TempDir();

        var r = await GatewayProcess.RunCliAsync(dir.Path, ReplyStack.Environment(null), args);

        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }
}
