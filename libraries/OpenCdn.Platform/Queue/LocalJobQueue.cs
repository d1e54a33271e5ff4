using Microsoft.Data.Sqlite;

namespace OpenCdn.Platform.Queue;

/// <summary>
/// The embedded queue: a SQLite file in WAL mode with synchronous=FULL, so a message whose send returned survives
/// <c>kill -9</c> of any process, and several processes (control plane, workers) can share one queue file.
/// Visibility deadlines are wall-clock milliseconds, so they keep their meaning across processes and restarts.
/// </summary>
public sealed class LocalJobQueue : IJobQueue
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DeadLetterPollInterval = TimeSpan.FromSeconds(1); // dead letters are rare and never urgent
    private readonly string _connectionString;
    private readonly int _maxReceives;
    private readonly TimeProvider _time;

    public LocalJobQueue(string path, int maxReceives, TimeProvider time)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString();
        _maxReceives = maxReceives;
        _time = time;
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                body TEXT NOT NULL,
                visible_at INTEGER NOT NULL,
                receive_count INTEGER NOT NULL DEFAULT 0,
                receipt TEXT,
                dead INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS messages_ready ON messages (dead, visible_at, seq);
            """);
    }

    public Task<string> SendAsync(string body, CancellationToken cancellationToken)
    {
        QueueMessage.ValidateBody(body);
        var id = Guid.NewGuid().ToString("N");
        using var connection = Open();
        Execute(connection, "INSERT INTO messages (id, body, visible_at) VALUES ($id, $body, 0)", ("$id", id), ("$body", body));
        return Task.FromResult(id);
    }

    public Task<QueueMessage?> ReceiveAsync(TimeSpan visibilityTimeout, TimeSpan wait, CancellationToken cancellationToken) =>
        PollAsync(() => TryReceive(visibilityTimeout), PollInterval, wait, cancellationToken);

    public Task<QueueMessage?> ReceiveDeadLetterAsync(TimeSpan visibilityTimeout, TimeSpan wait, CancellationToken cancellationToken) =>
        PollAsync(() => TryReceiveDeadLetter(visibilityTimeout), DeadLetterPollInterval, wait, cancellationToken);

    public Task ExtendAsync(QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        using var connection = Open();
        var changed = Execute(connection,
            "UPDATE messages SET visible_at = $visible WHERE id = $id AND receipt = $receipt AND dead = 0",
            ("$visible", Now() + (long)visibilityTimeout.TotalMilliseconds), ("$id", message.Id), ("$receipt", message.ReceiptHandle));
        return changed == 1
            ? Task.CompletedTask
            : throw new QueueException(
                $"Message {message.Id} was received again or deleted since this receipt was issued; its visibility cannot be extended.");
    }

    public Task DeleteAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        // Like SQS, a stale receipt deletes nothing: the message now belongs to whoever received it last.
        using var connection = Open();
        Execute(connection, "DELETE FROM messages WHERE id = $id AND receipt = $receipt", ("$id", message.Id), ("$receipt", message.ReceiptHandle));
        return Task.CompletedTask;
    }

    public Task DeleteDeadLetterAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        using var connection = Open();
        Execute(connection, "DELETE FROM messages WHERE id = $id AND receipt = $receipt AND dead = 1",
            ("$id", message.Id), ("$receipt", message.ReceiptHandle));
        return Task.CompletedTask;
    }

    public Task<int> CountDeadLettersAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM messages WHERE dead = 1";
        return Task.FromResult(Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<QueueMessage?> PollAsync(Func<QueueMessage?> tryReceive, TimeSpan interval, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + wait;
        while (true)
        {
            var message = tryReceive();
            if (message is not null || _time.GetUtcNow() >= deadline)
            {
                return message;
            }
            await Task.Delay(interval, _time, cancellationToken);
        }
    }

    private QueueMessage? TryReceive(TimeSpan visibilityTimeout)
    {
        using var connection = Open();
        var now = Now();
        DeadLetterSpent(connection, now);
        // One statement picks and hides the oldest visible message, so two receivers never get the same receive.
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE messages SET visible_at = $visible, receive_count = receive_count + 1, receipt = $receipt
            WHERE seq = (SELECT seq FROM messages WHERE dead = 0 AND visible_at <= $now AND receive_count < $max ORDER BY seq LIMIT 1)
            RETURNING id, body, receive_count
            """;
        var receipt = Guid.NewGuid().ToString("N");
        command.Parameters.AddWithValue("$visible", now + (long)visibilityTimeout.TotalMilliseconds);
        command.Parameters.AddWithValue("$receipt", receipt);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$max", _maxReceives);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new QueueMessage(reader.GetString(0), reader.GetString(1), receipt, reader.GetInt32(2)) : null;
    }

    /// <summary>The oldest visible dead letter, hidden for <paramref name="visibilityTimeout"/> under a new receipt.</summary>
    private QueueMessage? TryReceiveDeadLetter(TimeSpan visibilityTimeout)
    {
        using var connection = Open();
        var now = Now();
        DeadLetterSpent(connection, now);
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE messages SET visible_at = $visible, receipt = $receipt
            WHERE seq = (SELECT seq FROM messages WHERE dead = 1 AND visible_at <= $now ORDER BY seq LIMIT 1)
            RETURNING id, body, receive_count
            """;
        var receipt = Guid.NewGuid().ToString("N");
        command.Parameters.AddWithValue("$visible", now + (long)visibilityTimeout.TotalMilliseconds);
        command.Parameters.AddWithValue("$receipt", receipt);
        command.Parameters.AddWithValue("$now", now);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new QueueMessage(reader.GetString(0), reader.GetString(1), receipt, reader.GetInt32(2)) : null;
    }

    /// <summary>A message already received MaxReceives times is dead-lettered instead of delivered again (SQS redrive).</summary>
    private void DeadLetterSpent(SqliteConnection connection, long now) =>
        Execute(connection, "UPDATE messages SET dead = 1 WHERE dead = 0 AND visible_at <= $now AND receive_count >= $max",
            ("$now", now), ("$max", _maxReceives));

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;");
        return connection;
    }

    private static int Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command.ExecuteNonQuery();
    }
}
