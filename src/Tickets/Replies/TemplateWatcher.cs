using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Reloads the templates when a file in <c>Replies:TemplateFolder</c> is created, changed, renamed
/// or deleted, without a restart. A set with errors is refused and logged; the last good one stays.
/// </summary>
internal sealed class TemplateWatcher(ReplyTemplates templates, ILogger<TemplateWatcher> logger) : BackgroundService
{
    // Editors save in several steps (truncate, write, rename): reload once the folder is quiet this long.
    // Wall-clock time on purpose: the events come from the file system, not from the desk's clock.
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);
    private readonly TaskCompletionSource _watching = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the folder is watched (ExecuteAsync runs in the background from .NET 10 on).</summary>
    public Task Watching => _watching.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (templates.Folder is not { } folder || !Directory.Exists(folder))
        {
            return;
        }

        var changed = System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        void OnChange(object sender, EventArgs e) => changed.Writer.TryWrite(true);
        watcher.Created += OnChange;
        watcher.Changed += OnChange;
        watcher.Deleted += OnChange;
        watcher.Renamed += OnChange;
        // A lost event (buffer overflow) may hide a change: read the whole folder again.
        watcher.Error += OnChange;
        watcher.EnableRaisingEvents = true;
        Log.TemplateWatchStarted(logger, folder);
        _watching.TrySetResult();

        while (await changed.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            do
            {
                changed.Reader.TryRead(out _);
                await Task.Delay(Debounce, stoppingToken).ConfigureAwait(false);
            }
            while (changed.Reader.TryRead(out _));

            try
            {
                if (templates.TryReload() is { } errors)
                {
                    Log.TemplatesRefused(logger, folder, errors);
                }
                else
                {
                    Log.TemplatesReloaded(logger, folder, templates.All.Count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.TemplatesRefused(logger, folder, ex.Message);
            }
        }
    }
}
