using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Backups;

/// <summary>
/// One backup file: a gzip-compressed tar (readable with <c>tar xzf</c>) holding the store's dump
/// (<c>store.sqlite</c> or <c>store.pgdump</c>), the mail spool (<c>mail-spool/</c>) and
/// <c>manifest.json</c>. The spool is read after the dump: a spool file is synced before the
/// transaction that refers to it commits, so every file the dump names is in the backup.
/// </summary>
internal static class BackupArchive
{
    public const string ManifestEntry = "manifest.json";
    public const string SpoolPrefix = "mail-spool/";

    /// <summary>Writes the backup of <paramref name="store"/> and <paramref name="spoolFolder"/> to <paramref name="file"/>, which must not exist yet.</summary>
    public static async Task<BackupManifest> CreateAsync(TicketDatabase store, StorageOptions options, string spoolFolder, string file, TimeProvider time, CancellationToken cancellationToken)
    {
        var partial = file + ".partial";
        var staging = file + ".staging";
        Directory.CreateDirectory(staging);
        try
        {
            var entry = store.Dialect == SqlDialect.Postgres ? "store.pgdump" : "store.sqlite";
            var dumpFile = Path.Combine(staging, entry);
            var dump = await StoreBackup.DumpAsync(store, options, dumpFile, cancellationToken);
            var spool = new List<SpoolEntry>();
            await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
                await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
                {
                    await tar.WriteEntryAsync(dumpFile, entry, cancellationToken);
                    foreach (var path in SpoolFiles(spoolFolder))
                    {
                        try
                        {
                            await tar.WriteEntryAsync(path, SpoolPrefix + Path.GetFileName(path), cancellationToken);
                            spool.Add(new SpoolEntry(Path.GetFileName(path), new FileInfo(path).Length));
                        }
                        catch (FileNotFoundException)
                        {
                            // Purged by retention after the listing: its mail's raw_path was cleared in the same step.
                        }
                    }

                    var manifest = new BackupManifest(BackupManifest.CurrentFormat, time.GetUtcNow(), dump.Engine, dump.Source, entry, dump.Tables, dump.SchemaSteps, spoolFolder, spool);
                    var json = JsonSerializer.SerializeToUtf8Bytes(manifest, BackupJsonContext.Default.BackupManifest);
                    var manifestEntry = new PaxTarEntry(TarEntryType.RegularFile, ManifestEntry) { DataStream = new MemoryStream(json) };
                    await tar.WriteEntryAsync(manifestEntry, cancellationToken);
                }

                output.Flush(flushToDisk: true);
            }

            // Only a whole backup carries the name asked for: a crash leaves FILE.partial, never a torn FILE.
            File.Move(partial, file);
            return await ReadManifestAsync(file, cancellationToken);
        }
        finally
        {
            File.Delete(partial);
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Unpacks <paramref name="file"/> into <paramref name="folder"/> and returns its manifest.</summary>
    /// <exception cref="InvalidDataException">The file is not a whole ticketgw backup.</exception>
    public static async Task<BackupManifest> ExtractAsync(string file, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(folder, SpoolPrefix));
        BackupManifest? manifest = null;
        await foreach (var entry in EntriesAsync(file, cancellationToken))
        {
            if (entry.Name == ManifestEntry)
            {
                manifest = await ManifestAsync(file, entry.Entry, cancellationToken);
            }
            else
            {
                await entry.Entry.ExtractToFileAsync(Path.Combine(folder, entry.Name), overwrite: false, cancellationToken);
            }
        }

        if (manifest is null || manifest.Format != BackupManifest.CurrentFormat)
        {
            throw new InvalidDataException($"{file} is not a ticketgw backup of this release's format ({BackupManifest.CurrentFormat}): {(manifest is null ? "it has no manifest.json (an interrupted backup?)" : "its format is " + manifest.Format)}.");
        }

        if (!File.Exists(Path.Combine(folder, manifest.StoreEntry)))
        {
            throw new InvalidDataException($"{file} names {manifest.StoreEntry} in its manifest but does not hold it.");
        }

        return manifest;
    }

    /// <summary>The manifest of <paramref name="file"/>, read through the whole file (so a torn file fails here).</summary>
    public static async Task<BackupManifest> ReadManifestAsync(string file, CancellationToken cancellationToken)
    {
        BackupManifest? manifest = null;
        await foreach (var entry in EntriesAsync(file, cancellationToken))
        {
            if (entry.Name == ManifestEntry)
            {
                manifest = await ManifestAsync(file, entry.Entry, cancellationToken);
            }
        }

        return manifest ?? throw new InvalidDataException($"{file} is not a ticketgw backup: it has no manifest.json.");
    }

    private static async Task<BackupManifest?> ManifestAsync(string file, TarEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(entry.DataStream!, BackupJsonContext.Default.BackupManifest, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{file}: its manifest.json cannot be read ({ex.Message}).", ex);
        }
    }

    private static IEnumerable<string> SpoolFiles(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal) : [];

    private static async IAsyncEnumerable<(string Name, TarEntry Entry)> EntriesAsync(string file, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using var gzip = new GZipStream(input, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await tar.GetNextEntryAsync(copyData: false, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
            {
                throw new InvalidDataException($"{file} is not a readable ticketgw backup (gzip-compressed tar): {ex.Message}", ex);
            }

            if (entry is null)
            {
                yield break;
            }

            // Only the names a backup writes: nothing may land outside the folder it is unpacked into.
            var name = entry.Name;
            var known = name is ManifestEntry or "store.sqlite" or "store.pgdump"
                || (name.StartsWith(SpoolPrefix, StringComparison.Ordinal) && name.Length > SpoolPrefix.Length
                    && !name[SpoolPrefix.Length..].Contains('/') && name[SpoolPrefix.Length..] is not ("." or ".."));
            if (!known || entry.EntryType != TarEntryType.RegularFile)
            {
                throw new InvalidDataException($"{file} holds an entry a ticketgw backup never has ({name}); nothing of it was restored.");
            }

            yield return (name, entry);
        }
    }
}
