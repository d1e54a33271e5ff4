using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCdn.Contracts;
using OpenCdn.Contracts.Edges;

namespace OpenCdn.Catalog.Edges;

/// <summary>
/// The edge fleet: bootstrap tokens (kept as SHA-256 hashes, limited in uses and time), enrolled edges with their
/// credential hashes, and each edge's latest heartbeat.
/// </summary>
public sealed class EdgeStore(CatalogDatabase database, TimeProvider time)
{
    private const string Columns =
        "id AS Id, registration AS Registration, draining AS Draining, heartbeat AS Heartbeat, last_heartbeat AS LastHeartbeat, "
        + "registered_at AS RegisteredAt, (SELECT revoked_at FROM revoked_edges r WHERE r.id = edges.id) AS RevokedAt";
    private static readonly JsonSerializerOptions Json = ContractJson.Options; // stored as the edge sent it on the wire

    /// <summary>Creates a bootstrap token; the token itself is returned once and never stored.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> CreateBootstrapTokenAsync(
        int uses, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var token = "ocb_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO bootstrap_tokens (token_hash, uses_left, expires_at, created_at) VALUES (@hash, @uses, @expires, @now)",
            new { hash = Hash(token), uses, expires = (now + lifetime).ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return (token, now + lifetime);
    }

    /// <summary>
    /// Spends one use of a bootstrap token and enrolls the edge; null when the token is unknown, used up or expired.
    /// The credential (<c>{edgeId}.{secret}</c>) is returned once; only its hash is kept.
    /// </summary>
    public async Task<(string EdgeId, string Credential)?> RegisterAsync(
        string bootstrapToken, RegisterEdgeRequest registration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var spent = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE bootstrap_tokens SET uses_left = uses_left - 1 WHERE token_hash = @hash AND uses_left > 0 AND expires_at > @now",
            new { hash = Hash(bootstrapToken), now }, cancellationToken: cancellationToken));
        if (spent != 1)
        {
            return null;
        }
        var id = "e" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO edges (id, name, credential_hash, registration, registered_at) VALUES (@id, @name, @hash, @registration, @now); "
            + "INSERT INTO edge_enrolments (edge_id, bootstrap_hash) VALUES (@id, @bootstrap)",
            new
            {
                id,
                name = registration.Name,
                hash = Hash(secret),
                registration = JsonSerializer.Serialize(registration, Json),
                now,
                bootstrap = Hash(bootstrapToken),
            },
            cancellationToken: cancellationToken));
        return (id, $"{id}.{secret}");
    }

    /// <summary>The edge id a credential belongs to, or null.</summary>
    public async Task<string?> AuthenticateAsync(string credential, CancellationToken cancellationToken)
    {
        var dot = credential.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || credential.Length > 200)
        {
            return null;
        }
        var id = credential[..dot];
        await using var connection = await database.OpenAsync(cancellationToken);
        var stored = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT credential_hash FROM edges WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return stored is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(Hash(credential[(dot + 1)..])))
            ? id
            : null;
    }

    public async Task<bool> RecordHeartbeatAsync(string edgeId, EdgeHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE edges SET heartbeat = @heartbeat, last_heartbeat = @now WHERE id = @id",
            new { id = edgeId, heartbeat = JsonSerializer.Serialize(heartbeat, Json), now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> SetDrainingAsync(string edgeId, bool draining, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE edges SET draining = @draining WHERE id = @id", new { id = edgeId, draining = draining ? 1 : 0 },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<IReadOnlyList<EdgeRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(
            new CommandDefinition($"SELECT {Columns} FROM edges ORDER BY name, id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>
    /// Edges registered or heard from at or after <paramref name="since"/>: how every instance follows the fleet.
    /// Revoked edges are left out.
    /// </summary>
    public async Task<IReadOnlyList<EdgeRecord>> ListChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM edges WHERE (last_heartbeat >= @since OR registered_at >= @since) AND id NOT IN (SELECT id FROM revoked_edges)",
            new { since = since.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>The ids of the edges an admin drained.</summary>
    public async Task<IReadOnlyList<string>> ListDrainingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(
            new CommandDefinition("SELECT id FROM edges WHERE draining = 1", cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Revokes an edge: its credential stops working at once for every control-plane instance (each checks it here on
    /// every request), the bootstrap token it enrolled with is used up (so the host cannot enrol itself again), and
    /// <see cref="ListRevokedAsync"/> tells every instance to drop it from steering and plans. The row stays, shown as
    /// revoked, until <see cref="DeleteAsync"/>. False for an unknown edge.
    /// </summary>
    public async Task<bool> RevokeAsync(string edgeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // No SHA-256 hex digest equals this: no credential matches any more.
        var known = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE edges SET credential_hash = 'revoked' WHERE id = @id", new { id = edgeId }, transaction,
            cancellationToken: cancellationToken)) == 1;
        if (known)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO revoked_edges (id, revoked_at) VALUES (@id, @now) ON CONFLICT (id) DO NOTHING; "
                + "UPDATE bootstrap_tokens SET uses_left = 0 WHERE token_hash IN (SELECT bootstrap_hash FROM edge_enrolments WHERE edge_id = @id)",
                new { id = edgeId, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return known;
    }

    /// <summary>
    /// Revokes an edge and removes its row with its registration and inventory; the revocation record stays. False for
    /// an unknown edge.
    /// </summary>
    public async Task<bool> DeleteAsync(string edgeId, CancellationToken cancellationToken)
    {
        if (!await RevokeAsync(edgeId, cancellationToken))
        {
            return false;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition("DELETE FROM edges WHERE id = @id", new { id = edgeId }, cancellationToken: cancellationToken));
        return true;
    }

    /// <summary>The ids of every revoked edge, deleted or not.</summary>
    public async Task<IReadOnlyList<string>> ListRevokedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition("SELECT id FROM revoked_edges", cancellationToken: cancellationToken))];
    }

    /// <summary>One edge, read by its key (a heartbeat reads its own row, never the fleet).</summary>
    public async Task<EdgeRecord?> GetAsync(string edgeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM edges WHERE id = @id", new { id = edgeId }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Registration { get; set; } = "";
        public long Draining { get; set; }
        public string? Heartbeat { get; set; }
        public long? LastHeartbeat { get; set; }
        public long RegisteredAt { get; set; }
        public long? RevokedAt { get; set; }

        public EdgeRecord ToRecord()
        {
            string? unreadable = null;
            var registration = Read<RegisterEdgeRequest>(Registration, "registration", ref unreadable);
            var heartbeat = Heartbeat is null ? null : Read<EdgeHeartbeat>(Heartbeat, "heartbeat", ref unreadable);
            return new EdgeRecord(
                Id,
                registration,
                Draining != 0,
                heartbeat,
                LastHeartbeat is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
                DateTimeOffset.FromUnixTimeMilliseconds(RegisteredAt),
                RevokedAt is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null,
                unreadable);
        }

        private static T? Read<T>(string json, string column, ref string? unreadable)
            where T : class
        {
            try
            {
                return JsonSerializer.Deserialize<T>(json, Json) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                unreadable ??= $"stored {column} cannot be read: {e.Message}";
                return null;
            }
        }
    }
}
