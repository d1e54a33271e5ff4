namespace OpenCdn.FleetSim.Model;

/// <summary>The plays that start in one hour, as parallel arrays (no object per play): who, what, which rung, how many bytes.</summary>
internal sealed class PlayBatch
{
    public int Count { get; private set; }

    public int[] Isp { get; private set; } = new int[1024];

    public int[] Client { get; private set; } = new int[1024];

    public int[] Title { get; private set; } = new int[1024];

    public int[] Rung { get; private set; } = new int[1024];

    public long[] Bytes { get; private set; } = new long[1024];

    public void Clear() => Count = 0;

    public void CopyFrom(PlayBatch other)
    {
        Clear();
        for (var p = 0; p < other.Count; p++)
        {
            Add(other.Isp[p], other.Client[p], other.Title[p], other.Rung[p], other.Bytes[p]);
        }
    }

    public void Add(int isp, int client, int title, int rung, long bytes)
    {
        if (Count == Isp.Length)
        {
            var size = Count * 2;
            Isp = Grow(Isp, size);
            Client = Grow(Client, size);
            Title = Grow(Title, size);
            Rung = Grow(Rung, size);
            Bytes = Grow(Bytes, size);
        }
        Isp[Count] = isp;
        Client[Count] = client;
        Title[Count] = title;
        Rung[Count] = rung;
        Bytes[Count++] = bytes;
    }

    private static T[] Grow<T>(T[] array, int size)
    {
        Array.Resize(ref array, size);
        return array;
    }
}
