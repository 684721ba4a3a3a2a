using System.Runtime.InteropServices;
using System.Text;
using Emu.Linux.Native;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

/// <summary>
/// Keeps the translator's own file descriptors (the .NET runtime's pipes, eventfds, sockets and assembly
/// files, our logs) out of the guest's way while guest fds stay host fds with the same numbers.
///
/// Guest fds live in [0, <see cref="Limit"/>); the runtime's live at Limit and above. The trick: every
/// number below Limit is always occupied, either by a guest file or by a placeholder (an O_PATH descriptor
/// of /dev/null, on which read, write, mmap... fail with EBADF), so the host kernel hands out only numbers
/// at or above Limit when it picks the lowest free one: the runtime's lazily opened files land there by
/// themselves. A guest syscall that creates an fd gets a host number ≥ Limit, which is moved (dup3 over a
/// placeholder) to the lowest free guest number, as Linux would have chosen. close puts a placeholder back.
/// Guest syscalls naming an fd outside the guest's set fail with EBADF; /proc/self/fd listings show only
/// the guest's. The runtime opens its start-up files before Main, so the command line re-executes itself
/// once with every low number held (<see cref="ReexecIfNeeded"/>); a new translator started by a guest
/// execve inherits the arrangement through the environment variable.
/// </summary>
public static unsafe partial class FdTable
{
    /// <summary>Environment variable that carries Limit into a re-executed translator.</summary>
    public const string EnvironmentVariable = "EMU_FD_RESERVED";
    private const int MaxGuestLimit = 4096, MinGuestLimit = 256;
    private const int FGetfd = 1, FSetfd = 2, FGetfl = 3, FdCloexec = 1, OPath = 0x200000, OCloexec = 0x80000;
    private const int CloneFiles = 0x400, RlimitNofile = 7;

    /// <summary>Guest fds are below this; 0 when the arrangement is off (guest fds are host fds, unchecked).</summary>
    public static int Limit { get; private set; }

    private static int s_placeholder = -1;
    private static bool[] s_open = [];
    private static readonly object Lock = new();

    [LibraryImport("libc", EntryPoint = "getauxval")]
    private static partial ulong GetAuxVal(ulong type);

    private static long Sys(int number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0) =>
        LibC.SyscallRaw(number, a0, a1, a2, a3, a4, a5);

    /// <summary>
    /// Called first thing in Main. In a translator started with the variable set, takes over the reserved
    /// numbers and returns. Otherwise re-executes this process with every number below the limit held
    /// (inherited fds stay where they are) and does not return; returns if the arrangement cannot be made
    /// (then the translator runs without it), or under binfmt_misc, whose auxiliary vector a re-exec would lose.
    /// </summary>
    public static void ReexecIfNeeded()
    {
        if (Environment.GetEnvironmentVariable("EMU_NO_FD_RESERVE") is { Length: > 0 }) return;
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { } value)
        {
            Environment.SetEnvironmentVariable(EnvironmentVariable, null);
            // "LIMIT" or "LIMIT:INHERITED" (the guest's fds, as "0-2,5"; from the launchers and PrepareExec).
            int colon = value.IndexOf(':');
            string? inherited = colon >= 0 ? value[(colon + 1)..] : null;
            if (TryParseDecimal(colon >= 0 ? value.AsSpan(0, colon) : value, out int limit) && limit is >= MinGuestLimit and <= MaxGuestLimit)
                Adopt(limit, inherited);
            return;
        }
        const ulong AtExecfd = 2, AtFlags = 8, AtSecure = 23;
        if (GetAuxVal(AtExecfd) != 0 || GetAuxVal(AtFlags) != 0 || GetAuxVal(AtSecure) != 0) return;

        long* rl = stackalloc long[2];
        if (Sys(H.Prlimit64, 0, RlimitNofile, 0, (long)rl) != 0) return;
        long hard = rl[1];
        int guestLimit = (int)Math.Min(MaxGuestLimit, hard / 2);
        if (guestLimit < MinGuestLimit) return;
        rl[0] = hard;
        if (Sys(H.Prlimit64, 0, RlimitNofile, (long)rl, 0) != 0) return;

        byte[] cmdline, environ;
        try
        {
            cmdline = File.ReadAllBytes("/proc/self/cmdline");
            environ = File.ReadAllBytes("/proc/self/environ");
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }
        // This thread gets its own copy of the fd table: the runtime's other threads keep using their fds
        // untouched until execve ends them.
        if (Sys(H.Unshare, CloneFiles) != 0) return;
        int placeholder = OpenPlaceholder(guestLimit);
        if (placeholder < 0) return;
        for (int fd = 0; fd < guestLimit; fd++)
        {
            long flags = Sys(H.Fcntl, fd, FGetfd);
            // Inherited fds are the ones without close-on-exec (they survived our own execve); the runtime
            // opens all of its own with it.
            if (flags >= 0 && (flags & FdCloexec) == 0) continue;
            Sys(H.Dup3, placeholder, fd, 0);
        }
        var args = Split(cmdline);
        var env = Split(environ);
        env.Add(Encoding.UTF8.GetBytes($"{EnvironmentVariable}={guestLimit}\0"));
        Exec("/proc/self/exe", args, env);
        // execve of ourselves failed: this thread's fd table is now unusable for the runtime.
        LibC.Exit(70);
    }

    private static int OpenPlaceholder(int atLeast)
    {
        var path = "/dev/null\0"u8;
        long fd;
        fixed (byte* p = path) fd = Sys(H.Openat, -100, (long)p, OPath | OCloexec);
        if (fd < 0) return -1;
        long high = Sys(H.Fcntl, fd, 1030 /* F_DUPFD_CLOEXEC */, atLeast);
        Sys(H.Close, fd);
        return (int)high;
    }

    private static bool IsPlaceholder(int fd)
    {
        long fl = Sys(H.Fcntl, fd, FGetfl);
        if (fl < 0 || (fl & OPath) == 0) return false;
        // An O_PATH descriptor of the null device (1:3), by fstat: Adopt asks for up to 4096 numbers at
        // start-up, and reading each /proc/self/fd link cost more than the rest of the check.
        const int StModeOffset = 24, StRdevOffset = 40, SIfmt = 0xf000, SIfchr = 0x2000;
        const ulong NullDevice = (1 << 8) | 3;
        byte* st = stackalloc byte[144];
        if (Sys(H.Fstat, fd, (long)st) != 0) return false;
        return (*(uint*)(st + StModeOffset) & SIfmt) == SIfchr && *(ulong*)(st + StRdevOffset) == NullDevice;
    }

    /// <summary>What the host's /proc/self/fd/<paramref name="fd"/> link names (at most 128 bytes), or null.</summary>
    private static string? FdLinkTarget(long fd)
    {
        var target = new byte[128];
        var link = Encoding.ASCII.GetBytes($"/proc/self/fd/{fd}\0");
        long n;
        fixed (byte* l = link)
        fixed (byte* t = target)
            n = Sys(H.Readlink, (long)l, (long)t, target.Length);
        return n > 0 ? Encoding.ASCII.GetString(target, 0, (int)n) : null;
    }

    /// <summary>
    /// In a translator started with the numbers reserved: placeholders are free for the guest. With the list
    /// of inherited fds from whoever reserved them (the launchers, <see cref="PrepareExec"/>), nothing is
    /// examined: each number is a listed file or a placeholder, as nothing closes low numbers between their
    /// execve and here. Without it, each number is checked (thousands of syscalls).
    /// </summary>
    private static void Adopt(int limit, string? inherited)
    {
        int placeholder = OpenPlaceholder(limit);
        if (placeholder < 0) return;
        bool[]? open = inherited != null ? ParseFdList(inherited, limit) : null;
        if (open == null)
        {
            open = new bool[limit];
            for (int fd = 0; fd < limit; fd++)
            {
                if (Sys(H.Fcntl, fd, FGetfd) < 0)
                {
                    // A hole (something closed it): fill it, or the runtime's next file would land there.
                    Sys(H.Dup3, placeholder, fd, 0);
                    continue;
                }
                open[fd] = !IsPlaceholder(fd);
            }
        }
        lock (Lock)
        {
            s_placeholder = placeholder;
            s_open = open;
            Limit = limit;
        }
    }

    /// <summary>
    /// Digits only, as int.TryParse with NumberStyles.None, without the culture data int.TryParse sets up (about
    /// 1% of a short program's start-up; nothing else on that path needs it).
    /// </summary>
    internal static bool TryParseDecimal(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 9) return false;
        foreach (char c in text)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>"0-2,5" as flags for [0, limit); null if malformed (then each number is examined).</summary>
    internal static bool[]? ParseFdList(string list, int limit)
    {
        var flags = new bool[limit];
        if (list.Length == 0) return flags;
        foreach (var item in list.Split(','))
        {
            int dash = item.IndexOf('-');
            if (!TryParseDecimal(dash >= 0 ? item.AsSpan(0, dash) : item, out int first)) return null;
            int last = first;
            if (dash >= 0 && !TryParseDecimal(item.AsSpan(dash + 1), out last)) return null;
            if (first > last || last >= limit) return null;
            for (int fd = first; fd <= last; fd++) flags[fd] = true;
        }
        return flags;
    }

    /// <summary>The inverse of <see cref="ParseFdList"/>: the numbers set in <paramref name="flags"/>.</summary>
    internal static string FormatFdList(bool[] flags)
    {
        var sb = new StringBuilder();
        for (int fd = 0; fd < flags.Length; fd++)
        {
            if (!flags[fd]) continue;
            int last = fd;
            while (last + 1 < flags.Length && flags[last + 1]) last++;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(fd.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (last > fd) sb.Append('-').Append(last.ToString(System.Globalization.CultureInfo.InvariantCulture));
            fd = last;
        }
        return sb.ToString();
    }

    /// <summary>True if <paramref name="fd"/> is one of the guest's (always, when the arrangement is off).</summary>
    public static bool IsGuestFd(long fd)
    {
        if (Limit == 0) return fd >= 0;
        return fd >= 0 && fd < Limit && Volatile.Read(ref s_open[fd]);
    }

    /// <summary>
    /// A guest syscall created host fd <paramref name="hostFd"/>: moves it to the lowest free guest number
    /// at or above <paramref name="minimum"/> (close-on-exec kept). Returns the guest fd or -errno.
    /// </summary>
    public static long AdoptNew(long hostFd, long minimum = 0)
    {
        if (Limit == 0 || hostFd < 0) return hostFd;
        lock (Lock)
        {
            if (hostFd < Limit)
            {
                s_open[hostFd] = true;
                return hostFd;
            }
            int target = -1;
            for (long fd = Math.Max(0, minimum); fd < Limit; fd++)
                if (!s_open[fd]) { target = (int)fd; break; }
            if (target < 0)
            {
                Sys(H.Close, hostFd);
                return -EMFILE;
            }
            long fdFlags = Sys(H.Fcntl, hostFd, FGetfd);
            long r = Sys(H.Dup3, hostFd, target, fdFlags > 0 && (fdFlags & FdCloexec) != 0 ? OCloexec : 0);
            Sys(H.Close, hostFd);
            if (r < 0) return r;
            s_open[target] = true;
            return target;
        }
    }

    /// <summary>Guest close: a placeholder takes the number's place (closing the guest's file as close would).</summary>
    public static long Close(long fd)
    {
        if (Limit == 0) return Sys(H.Close, fd);
        lock (Lock)
        {
            if (!IsGuestFd(fd)) return -EBADF;
            long r = Sys(H.Dup3, s_placeholder, fd, 0);
            if (r < 0) return r;
            s_open[fd] = false;
            return 0;
        }
    }

    /// <summary>Guest dup2/dup3 onto <paramref name="newFd"/>: only guest numbers may be named on either side.</summary>
    public static long Dup3(long oldFd, long newFd, int hostFlags)
    {
        if (Limit == 0) return Sys(H.Dup3, oldFd, newFd, hostFlags);
        lock (Lock)
        {
            if (!IsGuestFd(oldFd) || newFd < 0 || newFd >= Limit) return -EBADF;
            long r = Sys(H.Dup3, oldFd, newFd, hostFlags);
            if (r >= 0) s_open[newFd] = true;
            return r;
        }
    }

    /// <summary>Guest close_range: only guest fds in the range (CLOSE_RANGE_CLOEXEC marks them instead).</summary>
    public static long CloseRange(ulong first, ulong last, ulong flags)
    {
        const ulong CloseRangeUnshare = 2, CloseRangeCloexec = 4;
        if (Limit == 0) return Sys(H.CloseRange, (long)first, (long)last, (long)flags);
        if ((flags & ~(CloseRangeUnshare | CloseRangeCloexec)) != 0 || first > last) return -EINVAL;
        lock (Lock)
        {
            for (ulong fd = first; fd <= last && fd < (ulong)Limit; fd++)
            {
                if (!s_open[fd]) continue;
                if ((flags & CloseRangeCloexec) != 0) Sys(H.Fcntl, (long)fd, FSetfd, FdCloexec);
                else if (Sys(H.Dup3, s_placeholder, (long)fd, 0) >= 0) s_open[fd] = false;
            }
        }
        return 0;
    }

    /// <summary>
    /// Right before execve. For a new translator: close-on-exec guest fds are replaced by placeholders (they
    /// would leave holes the new runtime fills) and every placeholder is inherited. For any other program:
    /// the placeholders are closed, so it sees exactly the guest's fds. Done in a private copy of the fd
    /// table (unshare), so the runtime's other threads are not disturbed; if execve fails, the free numbers
    /// get placeholders again. Returns the environment entry for a new translator (with the list of fds it
    /// inherits, so it examines none), or null.
    /// </summary>
    public static string? PrepareExec(bool translator)
    {
        if (Limit == 0) return null;
        lock (Lock)
        {
            if (Sys(H.Unshare, CloneFiles) != 0) return null;
            if (!translator)
            {
                // Runs of free numbers at a time (close_range, Linux 5.9; else one by one).
                for (int fd = 0; fd < Limit; fd++)
                {
                    if (s_open[fd]) continue;
                    int last = fd;
                    while (last + 1 < Limit && !s_open[last + 1]) last++;
                    if (Sys(H.CloseRange, fd, last, 0) != 0)
                        for (int f = fd; f <= last; f++) Sys(H.Close, f);
                    fd = last;
                }
                return $"{EnvironmentVariable}={Limit}";
            }
            var inherited = new bool[Limit];
            for (int fd = 0; fd < Limit; fd++)
            {
                // Free numbers should hold placeholders already; this also fills any hole.
                if (!s_open[fd]) Sys(H.Dup3, s_placeholder, fd, 0);
                else if ((Sys(H.Fcntl, fd, FGetfd) & FdCloexec) != 0) Sys(H.Dup3, s_placeholder, fd, 0);
                else inherited[fd] = true;
            }
            return $"{EnvironmentVariable}={Limit}:{FormatFdList(inherited)}";
        }
    }

    /// <summary>execve failed after <see cref="PrepareExec"/>: free numbers hold placeholders again.</summary>
    public static void ExecFailed()
    {
        if (Limit == 0) return;
        lock (Lock)
        {
            for (int fd = 0; fd < Limit; fd++)
                if (!s_open[fd]) Sys(H.Dup3, s_placeholder, fd, 0);
        }
    }

    /// <summary>
    /// getdents64 on a /proc/&lt;pid&gt;/fd directory of ours: drops the entries that are not guest fds, in
    /// place. Returns the new length (calling again while a whole batch was dropped, so 0 still means the end).
    /// </summary>
    public static long FilterFdDirectory(long fd, byte* buffer, long length, long capacity)
    {
        if (Limit == 0 || length <= 0 || !IsOwnFdDirectory(fd)) return length;
        while (true)
        {
            long kept = 0;
            for (long pos = 0; pos < length;)
            {
                ushort reclen = *(ushort*)(buffer + pos + 16);
                if (reclen == 0) break;
                byte* name = buffer + pos + 19;
                bool keep = true;
                long number = 0;
                int i = 0;
                for (; name[i] != 0; i++)
                {
                    if (name[i] < (byte)'0' || name[i] > (byte)'9') { number = -1; break; }
                    number = number * 10 + (name[i] - '0');
                    if (number > int.MaxValue) { number = -1; break; }
                }
                if (number >= 0 && i > 0) keep = IsGuestFd(number);
                if (keep)
                {
                    if (kept != pos) Buffer.MemoryCopy(buffer + pos, buffer + kept, reclen, reclen);
                    kept += reclen;
                }
                pos += reclen;
            }
            if (kept > 0) return kept;
            length = Sys(H.Getdents64, fd, (long)buffer, capacity);
            if (length <= 0) return length;
        }
    }

    private static bool IsOwnFdDirectory(long fd)
    {
        if (FdLinkTarget(fd) is not { } s) return false;
        string pid = Sys(H.Getpid).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string own = $"/proc/{pid}/";
        if (s == own + "fd") return true;
        // /proc/<pid>/task/<tid>/fd
        if (!s.StartsWith(own + "task/", StringComparison.Ordinal) || !s.EndsWith("/fd", StringComparison.Ordinal)) return false;
        string tid = s[(own.Length + 5)..];
        tid = tid[..^3];
        return tid.Length > 0 && tid.All(char.IsAsciiDigit);
    }

    /// <summary>Limits reported to the guest for RLIMIT_NOFILE: never above Limit.</summary>
    public static void ClampNofile(long* limits)
    {
        if (Limit == 0) return;
        limits[0] = Math.Min(limits[0], Limit);
        limits[1] = Math.Min(limits[1], Limit);
    }

    private static List<byte[]> Split(byte[] raw)
    {
        var list = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != 0) continue;
            list.Add(raw[start..(i + 1)]);
            start = i + 1;
        }
        return list;
    }

    private static void Exec(string path, List<byte[]> args, List<byte[]> env)
    {
        var handles = new List<GCHandle>();
        try
        {
            long* argv = (long*)NativeMemory.Alloc((nuint)(args.Count + 1) * 8);
            long* envp = (long*)NativeMemory.Alloc((nuint)(env.Count + 1) * 8);
            for (int i = 0; i < args.Count; i++)
            {
                var h = GCHandle.Alloc(args[i], GCHandleType.Pinned);
                handles.Add(h);
                argv[i] = h.AddrOfPinnedObject();
            }
            argv[args.Count] = 0;
            for (int i = 0; i < env.Count; i++)
            {
                var h = GCHandle.Alloc(env[i], GCHandleType.Pinned);
                handles.Add(h);
                envp[i] = h.AddrOfPinnedObject();
            }
            envp[env.Count] = 0;
            var p = Encoding.UTF8.GetBytes(path + "\0");
            fixed (byte* pp = p) Sys(H.Execve, (long)pp, (long)argv, (long)envp);
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }
}
