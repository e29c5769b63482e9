using System.Text.Json.Serialization;

namespace TicketGateway.OperatorGateway.Backups;

/// <summary>
/// <c>manifest.json</c>, the last entry of a backup file: what the store dump holds (rows per table,
/// read in the dump's own snapshot) and which spool files came with it.
/// </summary>
internal sealed record BackupManifest(
    string Format,
    DateTimeOffset CreatedAt,
    string Engine,
    string Source,
    string StoreEntry,
    IReadOnlyDictionary<string, long> Tables,
    IReadOnlyList<string> SchemaSteps,
    string SpoolFolder,
    IReadOnlyList<SpoolEntry> SpoolFiles)
{
    /// <summary>The format this release writes and reads.</summary>
    public const string CurrentFormat = "ticketgw-backup/1";
}

/// <summary>One spool file in a backup (under <c>mail-spool/</c>).</summary>
internal sealed record SpoolEntry(string Name, long Size);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(BackupManifest))]
internal sealed partial class BackupJsonContext : JsonSerializerContext;
