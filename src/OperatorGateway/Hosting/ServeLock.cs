using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Hosting;

/// <summary>
/// One <c>serve</c> per SQLite store: an exclusive lock on <c>STORE.serve.lock</c>, held for the life
/// of the process. Two gateways on one store fight over the mailbox (IMAP MOVE) and deliver operator
/// updates twice. On Linux .NET takes <c>FileShare.None</c> as an advisory <c>flock</c>, which the
/// kernel drops when the process dies, even on kill -9, so a crash never leaves a stale lock. The CLI
/// does not take it: it works beside the running gateway.
/// </summary>
internal sealed class ServeLock : IDisposable
{
    private readonly FileStream _file;

    private ServeLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of the store <paramref name="options"/> names; null for an in-memory store, which no other process can see.</summary>
    public static ServeLock? Acquire(StorageOptions options)
    {
        if (TicketDatabase.FilePath(options) is not { } store)
        {
            return null;
        }

        var path = store + ".serve.lock";
        try
        {
            // serve creates its store; the lock sits beside it, so the folder must exist first.
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new ServeLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreException($"The ticket store {store} (Storage:ConnectionString) is read-only: its lock file {path} cannot be created ({ex.Message}).", ex);
        }
        catch (IOException ex) when (HeldByAnother(path))
        {
            throw new StoreException($"Another ticketgw serve already serves the store {store} (Storage:ConnectionString; it holds {path}); stop it first, or give this one its own store.", ex);
        }
        catch (IOException ex)
        {
            throw new StoreException($"The folder of the ticket store {store} (Storage:ConnectionString) cannot be used for its lock file: {ex.Message}", ex);
        }
    }

    public void Dispose() => _file.Dispose();

    // A shared lock is refused only while another process holds the exclusive one; any other failure
    // (a read-only mount, a full disk) is not another gateway.
    private static bool HeldByAnother(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
