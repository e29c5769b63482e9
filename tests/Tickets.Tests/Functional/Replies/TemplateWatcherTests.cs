using Microsoft.Extensions.Logging.Abstractions;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.Tickets.Tests.Functional.Replies;

/// <summary>The running gateway picks up template files changed in <c>Replies:TemplateFolder</c>, on the real file system.</summary>
public sealed class TemplateWatcherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tg-watch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ExecuteAsync_NewChangedAndBrokenFiles_ReloadsAndKeepsTheLastGoodOnError()
    {
        var templates = new ReplyTemplates(new ReplyOptions { TemplateFolder = _dir }, TimeZoneInfo.Utc, "support@desk.test", TimeProvider.System);
        using var watcher = new TemplateWatcher(templates, NullLogger<TemplateWatcher>.Instance);
        await watcher.StartAsync(CancellationToken.None);
        await watcher.Watching.WaitAsync(TimeSpan.FromSeconds(15));
        var data = TemplateModel.Sample(DateTimeOffset.UtcNow);
        var subject = () => templates.Render("late-delivery", "zh-CN", data).Subject;

        // A new canned template, without a restart.
        Write("zh-CN/late-delivery.subject.sbn", "延迟送达：{{ ticket.ref }}");
        Write("zh-CN/late-delivery.text.sbn", "您好。");
        await Eventually.Until(() => templates.Exists("late-delivery"), "the new template to be loaded");
        Assert.Equal("延迟送达：TG-000123", subject());

        // A changed one.
        Write("zh-CN/late-delivery.subject.sbn", "送达延迟：{{ ticket.ref }}");
        await Eventually.Until(() => subject() == "送达延迟：TG-000123", "the changed template to render");

        // A broken one: refused, the last good one stays.
        var (version, refused) = (templates.Version, templates.Refused);
        Write("zh-CN/late-delivery.subject.sbn", "坏了 {{ if ticket.ref }");
        await Eventually.Until(() => templates.Version > version || templates.Refused > refused, "the broken template to be read");
        Assert.Equal(version, templates.Version);
        Assert.Equal("送达延迟：TG-000123", subject());

        await watcher.StopAsync(CancellationToken.None);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
