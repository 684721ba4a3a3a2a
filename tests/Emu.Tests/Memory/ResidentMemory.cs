namespace Emu.Tests.Memory;

/// <summary>Resident memory of this process read from /proc/self/smaps, per host address range.</summary>
internal static class ResidentMemory
{
    /// <summary>One mapping: its host range, name, and resident and anonymous kilobytes.</summary>
    internal readonly record struct Mapping(ulong Start, ulong End, string Name, long RssKb, long AnonymousKb);

    public static List<Mapping> Mappings()
    {
        var result = new List<Mapping>();
        ulong start = 0, end = 0;
        string name = "";
        long rss = 0, anon = 0;
        bool open = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int colon = line.IndexOf(':');
            int dash = line.IndexOf('-');
            // Mapping headers start "start-end perms ..."; field lines start "Name:   value kB".
            if (dash > 0 && (colon < 0 || dash < colon) && line.IndexOf(' ') > dash)
            {
                if (open) result.Add(new Mapping(start, end, name, rss, anon));
                var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                start = Convert.ToUInt64(parts[0][..dash], 16);
                end = Convert.ToUInt64(parts[0][(dash + 1)..], 16);
                name = parts.Length > 5 ? parts[5].Trim() : "";
                rss = anon = 0;
                open = true;
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal)) rss = Kilobytes(line);
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal)) anon = Kilobytes(line);
        }
        if (open) result.Add(new Mapping(start, end, name, rss, anon));
        return result;
    }

    private static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    /// <summary>Resident kilobytes of the mappings inside host [start, end).</summary>
    public static long ResidentKb(ulong start, ulong end) =>
        Mappings().Where(m => m.Start >= start && m.End <= end).Sum(m => m.RssKb);
}
