using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using TicketGateway.MailIntake.Imap;
using TicketGateway.MailIntake.Intake;
using TicketGateway.OperatorGateway.Backups;
using TicketGateway.OperatorGateway.Hosting;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw backup FILE</c> and <c>ticketgw restore FILE [--force]</c>.</summary>
internal sealed class BackupCommands(CliSession session)
{
    private static readonly Argument<string> File = CliSymbols.Argument("FILE", "the backup file");
    private static readonly Option<bool> Force = new("--force") { Description = "restore over a store that is not empty: the old store (and its mail spool) is first moved aside, renamed with .before-restore-TIME, never deleted" };

    public static IEnumerable<Command> Create()
    {
        var backup = new Command("backup", """
            write a consistent backup of the store and the mail spool to FILE (a gzip-compressed tar with manifest.json) while the gateway keeps serving.
            SQLite: the online backup API (one read snapshot). PostgreSQL: pg_dump --format=custom (PostgreSQL's client programs must be installed).
            FILE must not exist; it appears only when the backup is whole (FILE.partial meanwhile).
            Exit codes: 0 written; 1 FILE exists; 2 the store or pg_dump cannot be used.
            """)
        {
            File,
        };
        CliSession.SetAction(backup, (p, s, ct) => new BackupCommands(s).BackupAsync(p.GetValue(File)!, ct));

        var restore = new Command("restore", """
            restore a backup written by 'ticketgw backup' into the configured store, which must be empty (or missing), then check its integrity and print the rows per table.
            --force moves a store that is not empty aside first (SQLite: the file and its -wal; PostgreSQL: the database is renamed; the spool folder likewise). Stop 'ticketgw serve' first.
            Schema steps newer than the backup's are applied as the gateway does at start.
            Exit codes: 0 restored and checked; 1 the store is not empty (without --force); 2 the file is no backup, is damaged, or the store cannot be used.
            """)
        {
            File, Force,
        };
        CliSession.SetAction(restore, (p, s, ct) => new BackupCommands(s).RestoreAsync(p.GetValue(File)!, p.GetValue(Force), ct), warmStore: false);
        return [backup, restore];
    }

    private async Task<int> BackupAsync(string file, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(file);
        if (System.IO.File.Exists(path))
        {
            session.Error.WriteLine($"ticketgw: backup: {path} exists already; give a new name (e.g. with the date), a backup never overwrites one.");
            return 1;
        }

        var clock = Stopwatch.StartNew();
        var store = session.Services.GetRequiredService<TicketDatabase>();
        var storage = Options<StorageOptions>();
        var spool = MailSpoolFolder.Resolve(Options<IntakeOptions>(), storage);
        var time = session.Services.GetRequiredService<TimeProvider>();
        var manifest = await BackupArchive.CreateAsync(store, storage, spool, path, time, cancellationToken);
        var rows = manifest.Tables.Values.Sum();
        session.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Backed up {manifest.Source} ({manifest.Engine}, {manifest.Tables.Count} tables, {rows:N0} rows, {manifest.Tables.GetValueOrDefault("tickets"):N0} tickets) and {manifest.SpoolFiles.Count} spool files to {path} ({new FileInfo(path).Length:N0} bytes) in {clock.Elapsed.TotalSeconds:F1} s."));
        return 0;
    }

    private async Task<int> RestoreAsync(string file, bool force, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(file);
        if (!System.IO.File.Exists(path))
        {
            throw new CliException($"restore: there is no backup file {path}.");
        }

        var storage = Options<StorageOptions>();
        var spool = MailSpoolFolder.Resolve(Options<IntakeOptions>(), storage);
        var time = session.Services.GetRequiredService<TimeProvider>();
        // A gateway serving this SQLite store would keep its old file open: refused while one runs, and none starts meanwhile.
        using var serveLock = ServeLock.Acquire(storage);
        var staging = Path.Combine(TicketDatabase.FilePath(storage) is { } db ? Path.GetDirectoryName(db)! : Path.GetTempPath(), $".restore-{Guid.NewGuid():N}");
        StoreRestoreResult result;
        BackupManifest manifest;
        int spoolFiles;
        string? spoolAside;
        try
        {
            manifest = await BackupArchive.ExtractAsync(path, staging, cancellationToken);
            var expected = new StoreDump(manifest.Engine, manifest.Source, manifest.Tables, manifest.SchemaSteps);
            try
            {
                result = await StoreRestore.RunAsync(storage, Path.Combine(staging, manifest.StoreEntry), expected, force, time, cancellationToken);
            }
            catch (StoreCopyRefusedException ex)
            {
                session.Error.WriteLine("ticketgw: " + ex.Message);
                return 1;
            }

            (spoolFiles, spoolAside) = RestoreSpool(Path.Combine(staging, BackupArchive.SpoolPrefix), spool, result.MovedAside is not null, time);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        // Opening applies the schema steps this release has beyond the backup's, as serve would.
        var store = session.Services.GetRequiredService<TicketDatabase>();
        var relocated = await MailSpoolFolder.RelocateAsync(store, manifest.SpoolFolder, spool, cancellationToken);
        var table = new TextTable("TABLE", "BACKUP", "RESTORED");
        foreach (var t in result.Tables)
        {
            table.Add(t.Table, t.Source.ToString(CultureInfo.InvariantCulture), t.Target.ToString(CultureInfo.InvariantCulture));
        }

        session.Output.Write(table.ToString());
        if (result.MovedAside is not null)
        {
            session.Output.WriteLine($"The old store was moved aside to {result.MovedAside}" + (spoolAside is null ? "." : $", its mail spool to {spoolAside}."));
        }

        session.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Restored {path} (taken {manifest.CreatedAt:yyyy-MM-dd HH:mm:ss}Z from {manifest.Source}) into {store.DataSource}: {result.Tables.Count} tables, {result.Tables.Sum(t => t.Target):N0} rows, {result.Tables.FirstOrDefault(t => t.Table == "tickets")?.Target ?? 0:N0} tickets, {spoolFiles} spool files ({relocated} mails pointed at {spool}); integrity ok, counts equal."));
        return 0;
    }

    // Spool file names are unique (UIDVALIDITY, UID and a GUID): files already in the folder stay beside the restored ones.
    private static (int Files, string? Aside) RestoreSpool(string from, string to, bool moveAside, TimeProvider time)
    {
        string? aside = null;
        if (moveAside && Directory.Exists(to) && Directory.EnumerateFileSystemEntries(to).Any())
        {
            aside = to + ".before-restore-" + time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            Directory.Move(to, aside);
        }

        Directory.CreateDirectory(to);
        var files = 0;
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            if (!System.IO.File.Exists(target))
            {
                System.IO.File.Move(file, target);
            }

            files++;
        }

        return (files, aside);
    }

    private T Options<T>()
        where T : class => session.Services.GetRequiredService<IOptions<T>>().Value;
}
