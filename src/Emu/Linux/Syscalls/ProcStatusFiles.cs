using System.Globalization;
using System.Numerics;
using System.Text;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// /proc/<pid>/status and /proc/<pid>/stat of this process and its guest threads. The host files describe
// the translator: its signal state is the runtime's (SIGPIPE ignored, handlers for SIGINT...) and its
// thread count includes the runtime's threads. Those parts are replaced by the guest's; the rest (memory,
// credentials, state) is the host's, which is the guest's too.
public sealed unsafe partial class GuestProcess
{
    /// <summary>
    /// The content of <paramref name="path"/> if it is the status or stat file of this process or one of its
    /// guest threads (/proc/self, /proc/thread-self, /proc/PID, each optionally .../task/TID), else null.
    /// </summary>
    private string? FormatProcTaskFile(string path)
    {
        if (!path.StartsWith("/proc/", StringComparison.Ordinal)) return null;
        var parts = path[6..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        int pid = (int)Host(H.Getpid);
        int? tid;
        int next;
        if (parts.Length == 2 && parts[0] == "thread-self")
        {
            tid = (int)Host(H.Gettid);
            next = 1;
        }
        else if (parts.Length is 2 or 4 && (parts[0] == "self" || parts[0] == pid.ToString(CultureInfo.InvariantCulture)))
        {
            tid = null;
            next = 1;
            if (parts.Length == 4)
            {
                if (parts[1] != "task" || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int t)) return null;
                tid = t;
                next = 3;
            }
        }
        else
        {
            return null;
        }
        string file = parts[next];
        if (file is not ("status" or "stat")) return null;
        // A thread of the runtime, not of the guest: the host's file is the only description there is.
        GuestThread? thread = tid is { } id ? FindThread(id) : FindThread(pid) ?? CurrentThread;
        if (thread == null) return null;
        string hostPath = tid is { } hostTid ? $"/proc/self/task/{hostTid}/{file}" : $"/proc/self/{file}";
        string host;
        try
        {
            host = File.ReadAllText(hostPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        TakeHostSignals();
        return file == "status" ? GuestStatus(host, thread) : GuestStat(host, thread);
    }

    /// <summary>Signals queued in the process (each pending signal once, as its bit records it).</summary>
    private int QueuedSignalCount()
    {
        lock (_signalLock)
        {
            int count = BitOperations.PopCount(_processPending);
            foreach (var t in _threads.Values) count += BitOperations.PopCount(t.Pending);
            return count;
        }
    }

    private string GuestStatus(string host, GuestThread thread)
    {
        var sb = new StringBuilder(host.Length);
        foreach (var line in host.Split('\n'))
        {
            if (line.Length == 0) continue;
            int colon = line.IndexOf(':');
            string key = colon < 0 ? "" : line[..colon];
            string? value = key switch
            {
                "Threads" => LiveThreads.ToString(CultureInfo.InvariantCulture),
                // "queued/limit": the limit (RLIMIT_SIGPENDING) is the host's.
                "SigQ" => $"{QueuedSignalCount()}/{line[(line.IndexOf('/') + 1)..]}",
                "SigPnd" => Hex(thread.Pending),
                "ShdPnd" => Hex(_processPending),
                "SigBlk" => Hex(thread.BlockedMask),
                "SigIgn" => Hex(IgnoredSignals),
                "SigCgt" => Hex(CaughtSignals),
                _ => null,
            };
            if (key == "SigQ" && line.IndexOf('/') < 0) value = null;
            sb.Append(value == null ? line : $"{key}:\t{value}").Append('\n');
        }
        return sb.ToString();

        static string Hex(ulong mask) => mask.ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// /proc/PID/stat: "pid (comm) state f4 ... f52"; num_threads (field 20) and the signal fields
    /// (31 pending of the thread, 32 blocked, 33 ignored, 34 caught: decimal, low 31 bits as Linux shows them).
    /// </summary>
    private string GuestStat(string host, GuestThread thread)
    {
        int close = host.LastIndexOf(')');
        if (close < 0 || close + 2 > host.Length) return host;
        var fields = host[(close + 2)..].TrimEnd('\n').Split(' ');
        void Set(int field, ulong value)
        {
            int index = field - 3; // fields after "pid (comm) " start with field 3 (state)
            if (index < fields.Length) fields[index] = value.ToString(CultureInfo.InvariantCulture);
        }
        Set(20, (ulong)LiveThreads);
        Set(31, thread.Pending & 0x7fffffff);
        Set(32, thread.BlockedMask & 0x7fffffff);
        Set(33, IgnoredSignals & 0x7fffffff);
        Set(34, CaughtSignals & 0x7fffffff);
        return host[..(close + 2)] + string.Join(' ', fields) + "\n";
    }
}
