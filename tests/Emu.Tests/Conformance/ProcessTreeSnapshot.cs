using System.Text;

namespace Emu.Tests.Conformance;

/// <summary>
/// Where a hung run's processes and threads wait, read from /proc before they are killed: per thread its
/// name, state, kernel wait channel and the syscall it is in (number and arguments), so that a rare hang
/// seen once in a test log says where it was.
/// </summary>
internal static class ProcessTreeSnapshot
{
    public static string Describe(int root)
    {
        var text = new StringBuilder();
        try
        {
            foreach (int pid in Descendants(root))
            {
                text.Append("process ").Append(pid).Append(' ').Append(Read($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()).Append('\n');
                string taskDir = $"/proc/{pid}/task";
                if (!Directory.Exists(taskDir)) continue;
                foreach (string task in Directory.GetDirectories(taskDir).OrderBy(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)))
                {
                    string stat = Read(Path.Combine(task, "stat"));
                    int close = stat.LastIndexOf(')');
                    string state = close > 0 && close + 2 < stat.Length ? stat[(close + 2)..(close + 3)] : "?";
                    text.Append("  ").Append(Path.GetFileName(task)).Append(' ').Append(Read(Path.Combine(task, "comm")).Trim())
                        .Append(" state ").Append(state).Append(" wchan ").Append(Read(Path.Combine(task, "wchan")).Trim())
                        .Append(" syscall ").Append(Read(Path.Combine(task, "syscall")).Trim()).Append('\n');
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            text.Append("(/proc could not be read: ").Append(e.Message).Append(")\n");
        }
        return text.ToString();
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary><paramref name="root"/> and every process below it (by parent pid).</summary>
    private static List<int> Descendants(int root)
    {
        var parentOf = new Dictionary<int, int>();
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string stat = Read(Path.Combine(dir, "stat"));
            int close = stat.LastIndexOf(')');
            if (close < 0) continue;
            string[] fields = stat[(close + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], out int ppid)) parentOf[pid] = ppid;
        }
        var found = new List<int> { root };
        for (int i = 0; i < found.Count; i++)
            found.AddRange(parentOf.Where(p => p.Value == found[i]).Select(p => p.Key));
        return found;
    }
}
