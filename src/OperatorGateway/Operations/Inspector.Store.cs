using System.Globalization;
using TicketGateway.MailIntake.Imap;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>The store and the disks: reachable and intact, replication in step, room to write.</summary>
internal sealed partial class Inspector
{
    private (CheckOutcome, string) Store()
    {
        var steps = Convert.ToInt64(database.Read(c => c.Scalar("SELECT COUNT(*) FROM schema_migrations")), CultureInfo.InvariantCulture);
        if (database.FileName is not null)
        {
            // quick_check reads every page but skips the index cross-checks of integrity_check: minutes on a big store, not hours.
            var verdict = database.Read(c => c.Scalar("PRAGMA quick_check")) as string;
            return verdict == "ok"
                ? InspectionCheck.Ok($"SQLite {database.FileName}: quick_check ok, {steps} schema steps")
                : InspectionCheck.Failed($"SQLite {database.FileName}: quick_check reports '{verdict}'; restore from the last backup");
        }

        // On a primary, one row per standby; none when no standby is configured.
        var (standbys, lagSeconds) = database.Read(c =>
        {
            using var command = c.Command("SELECT COUNT(*), COALESCE(MAX(EXTRACT(EPOCH FROM replay_lag)), 0) FROM pg_stat_replication");
            using var r = command.ExecuteReader();
            r.Read();
            return (r.GetInt64(0), Convert.ToDouble(r.GetValue(1), CultureInfo.InvariantCulture));
        });
        if (standbys == 0)
        {
            return InspectionCheck.Ok($"PostgreSQL answers, {steps} schema steps; no standby replicates from it");
        }

        var lag = TimeSpan.FromSeconds(lagSeconds);
        var text = $"PostgreSQL answers, {steps} schema steps; {standbys} standby(s), replay lag {Seconds(lag)}";
        return lag > TimeSpan.FromMinutes(1) ? InspectionCheck.Warning(text + " (over 60 s)") : InspectionCheck.Ok(text);
    }

    private (CheckOutcome, string) StoreDisk() => database.FileName is { } file
        ? Disk(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", "the store")
        : InspectionCheck.Ok("PostgreSQL keeps its own disk: watch it on the database server");

    private (CheckOutcome, string) SpoolDisk() => Disk(MailSpoolFolder.Resolve(intake.Value, storage.Value), "the mail spool");

    private (CheckOutcome, string) Disk(string folder, string what)
    {
        // The folder may not exist yet (no big mail so far): the disk it will be on is its nearest existing parent's.
        var existing = new DirectoryInfo(folder);
        while (existing is { Exists: false, Parent: not null })
        {
            existing = existing.Parent;
        }

        var drive = new DriveInfo(existing.FullName);
        var free = drive.TotalSize == 0 ? 1.0 : (double)drive.AvailableFreeSpace / drive.TotalSize;
        var text = string.Create(CultureInfo.InvariantCulture, $"{what} ({folder}): {drive.AvailableFreeSpace / (1024.0 * 1024 * 1024):0.0} GiB free of {drive.TotalSize / (1024.0 * 1024 * 1024):0.0} GiB ({free:P0})");
        return free < Options.DiskFailureFree
            ? InspectionCheck.Failed(text + string.Create(CultureInfo.InvariantCulture, $", below {Options.DiskFailureFree:P0} (Operations:DiskFailureFree)"))
            : free < Options.DiskWarningFree
                ? InspectionCheck.Warning(text + string.Create(CultureInfo.InvariantCulture, $", below {Options.DiskWarningFree:P0} (Operations:DiskWarningFree)"))
                : InspectionCheck.Ok(text);
    }
}
