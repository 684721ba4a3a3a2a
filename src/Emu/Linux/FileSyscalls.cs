using Emu.Linux.Abi;
using Emu.Linux.Native;
using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// File descriptors, paths and I/O. Guest fds are host fds; structures whose layout is the same on both
// architectures go straight to the host kernel.
public sealed unsafe partial class GuestProcess
{
    private const int AtEmptyPath = 0x1000;

    // Through ParkingSyscall: a thread returning from a blocking call while a fork parks threads stays in native code.
    private static long Host(int number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0) =>
        ParkingSyscall.Call(number, a0, a1, a2, a3, a4, a5);

    private void RegisterFileSyscalls()
    {
        Register(G.Read, "dpu", (SyscallArgs a) => BufferIo(H.Read, a));
        Register(G.Write, "dpu", (SyscallArgs a) => BufferIo(H.Write, a));
        Register(G.Pread64, "dpud", (SyscallArgs a) => BufferIo(H.Pread64, a));
        Register(G.Pwrite64, "dpud", (SyscallArgs a) => BufferIo(H.Pwrite64, a));
        Register(G.Readv, "dpd", (SyscallArgs a) => VectorIo(H.Readv, a.A0, a.A1, a.A2, 0, 0));
        Register(G.Writev, "dpd", (SyscallArgs a) => VectorIo(H.Writev, a.A0, a.A1, a.A2, 0, 0));
        Register(G.Preadv, "dpdd", (SyscallArgs a) => VectorIo(H.Preadv, a.A0, a.A1, a.A2, a.A3, a.A4));
        Register(G.Pwritev, "dpdd", (SyscallArgs a) => VectorIo(H.Pwritev, a.A0, a.A1, a.A2, a.A3, a.A4));
        Register(G.Openat, "dsfo", SysOpenat);
        Register(G.Close, "d", SysClose);
        Register(G.Lseek, "ddd", (SyscallArgs a) => Host(H.Lseek, (long)a.A0, (long)a.A1, (long)a.A2));
        Register(G.Fstat, "dp", SysFstat);
        Register(G.Newfstatat, "dspx", SysNewfstatat);
        Register(G.Statx, "dsxxp", SysStatx);
        Register(G.Readlinkat, "dspu", SysReadlinkat);
        Register(G.Getcwd, "pu", (SyscallArgs a) => Host(H.Getcwd, HostBuffer(a.A0, a.A1), (long)a.A1));
        Register(G.Chdir, "s", (SyscallArgs a) => PathCall(a.A0, false, p => Host(H.Chdir, p)));
        Register(G.Fchdir, "d", (SyscallArgs a) => Host(H.Fchdir, (long)a.A0));
        Register(G.Dup, "d", (SyscallArgs a) => Host(H.Dup, (long)a.A0));
        Register(G.Dup3, "ddx", (SyscallArgs a) => Host(H.Dup3, (long)a.A0, (long)a.A1, OpenFlags.GuestToHost((int)a.A2)));
        Register(G.Fcntl, "ddx", SysFcntl);
        Register(G.Pipe2, "px", (SyscallArgs a) => Host(H.Pipe2, HostBuffer(a.A0, 8), OpenFlags.GuestToHost((int)a.A1)));
        Register(G.Faccessat, "dso", (SyscallArgs a) => PathCall(a.A1, true, p => Host(H.Faccessat, (long)a.A0, p, (long)a.A2)));
        Register(G.Faccessat2, "dsox", (SyscallArgs a) => PathCall(a.A1, true, p => Host(H.Faccessat2, (long)a.A0, p, (long)a.A2, (long)a.A3)));
        Register(G.Unlinkat, "dsx", (SyscallArgs a) => PathCall(a.A1, false, p => Host(H.Unlinkat, (long)a.A0, p, (long)a.A2)));
        Register(G.Mkdirat, "dso", (SyscallArgs a) => PathCall(a.A1, false, p => Host(H.Mkdirat, (long)a.A0, p, (long)a.A2)));
        Register(G.Mknodat, "dsox", (SyscallArgs a) => PathCall(a.A1, false, p => Host(H.Mknodat, (long)a.A0, p, (long)a.A2, (long)a.A3)));
        Register(G.Renameat, "dsds", (SyscallArgs a) => TwoPathCall(a.A1, a.A3, (p, q) => Host(H.Renameat2, (long)a.A0, p, (long)a.A2, q, 0)));
        Register(G.Renameat2, "dsdsx", (SyscallArgs a) => TwoPathCall(a.A1, a.A3, (p, q) => Host(H.Renameat2, (long)a.A0, p, (long)a.A2, q, (long)a.A4)));
        Register(G.Linkat, "dsdsx", (SyscallArgs a) => TwoPathCall(a.A1, a.A3, (p, q) => Host(H.Linkat, (long)a.A0, p, (long)a.A2, q, (long)a.A4)));
        Register(G.Symlinkat, "sds", (SyscallArgs a) => TwoPathCall(a.A0, a.A2, (p, q) => Host(H.Symlinkat, p, (long)a.A1, q)));
        Register(G.Fchmodat, "dso", (SyscallArgs a) => PathCall(a.A1, false, p => Host(H.Fchmodat, (long)a.A0, p, (long)a.A2)));
        Register(G.Fchownat, "dsddx", (SyscallArgs a) => PathCall(a.A1, false, p => Host(H.Fchownat, (long)a.A0, p, (long)a.A2, (long)a.A3, (long)a.A4)));
        Register(G.Fchmod, "do", (SyscallArgs a) => Host(H.Fchmod, (long)a.A0, (long)a.A1));
        Register(G.Fchown, "ddd", (SyscallArgs a) => Host(H.Fchown, (long)a.A0, (long)a.A1, (long)a.A2));
        Register(G.Utimensat, "dspx", SysUtimensat);
        Register(G.Truncate, "sd", (SyscallArgs a) => PathCall(a.A0, false, p => Host(H.Truncate, p, (long)a.A1)));
        Register(G.Ftruncate, "dd", (SyscallArgs a) => Host(H.Ftruncate, (long)a.A0, (long)a.A1));
        Register(G.Fallocate, "dddd", (SyscallArgs a) => Host(H.Fallocate, (long)a.A0, (long)a.A1, (long)a.A2, (long)a.A3));
        Register(G.Fadvise64, "dddd", (SyscallArgs a) => Host(H.Fadvise64, (long)a.A0, (long)a.A1, (long)a.A2, (long)a.A3));
        Register(G.Fsync, "d", (SyscallArgs a) => Host(H.Fsync, (long)a.A0));
        Register(G.Fdatasync, "d", (SyscallArgs a) => Host(H.Fdatasync, (long)a.A0));
        Register(G.Sync, "", (SyscallArgs a) => Host(H.Sync));
        Register(G.Syncfs, "d", (SyscallArgs a) => Host(H.Syncfs, (long)a.A0));
        Register(G.Flock, "dd", (SyscallArgs a) => Host(H.Flock, (long)a.A0, (long)a.A1));
        Register(G.Statfs, "sp", (SyscallArgs a) => PathCall(a.A0, true, p => Host(H.Statfs, p, HostBuffer(a.A1, 120))));
        Register(G.Fstatfs, "dp", (SyscallArgs a) => Host(H.Fstatfs, (long)a.A0, HostBuffer(a.A1, 120)));
        Register(G.Getdents64, "dpu", (SyscallArgs a) => BufferIo(H.Getdents64, a));
        Register(G.Ioctl, "dxx", SysIoctl);
        Register(G.Ppoll, "pdppu", (SyscallArgs a) =>
        {
            long fds = HostBufferOrNull(a.A0, a.A1 * 8), timeout = HostBufferOrNull(a.A2, 16);
            // The sigmask is the calling guest thread's (SignalSyscalls), not the host thread's.
            long early = SetTemporaryMaskFromGuest(a.A3, a.A4);
            return early != 0 ? early : Host(H.Ppoll, fds, (long)a.A1, timeout, 0, 8);
        });
        Register(G.Pselect6, "dppppp", SysPselect6);
        Register(G.Sendfile, "ddpu", (SyscallArgs a) => Host(H.Sendfile, (long)a.A0, (long)a.A1, HostBufferOrNull(a.A2, 8), (long)a.A3));
        Register(G.CopyFileRange, "dpdpux", (SyscallArgs a) => Host(H.CopyFileRange, (long)a.A0, HostBufferOrNull(a.A1, 8),
            (long)a.A2, HostBufferOrNull(a.A3, 8), (long)a.A4, (long)a.A5));
        Register(G.CloseRange, "uux", SysCloseRange);
        Register(G.Eventfd2, "ux", (SyscallArgs a) => Host(H.Eventfd2, (long)a.A0, OpenFlags.GuestToHost((int)a.A1)));
        Register(G.MemfdCreate, "sx", (SyscallArgs a) => PathCall(a.A0, false, p => Host(H.MemfdCreate, p, (long)a.A1)));
        Register(G.Umask, "o", (SyscallArgs a) => Host(H.Umask, (long)a.A0));
    }

    /// <summary>
    /// Host fds the runtime held before the guest ran (its assemblies, signal pipes, the -D log), each with the
    /// identity (device, inode) of what it was open on. They are all close-on-exec, while fds this process
    /// inherited are the guest's and not close-on-exec, so that flag tells them apart. The guest never opened
    /// them: close and close_range (a child about to exec closing everything above 2) must leave them to the
    /// translator, which still needs them until the exec. A number the runtime has since closed and the guest
    /// got again from open is the guest's: the identity no longer matches.
    /// </summary>
    private readonly (int Fd, ulong Dev, ulong Ino)[] _runtimeFds = RuntimeFds();

    private static (int, ulong, ulong)[] RuntimeFds()
    {
        const int FGetfd = 1, FdCloexec = 1;
        // With the fd arrangement the runtime's fds are all at or above FdTable.Limit, which the guest cannot
        // name (FdSyscallHooks): nothing to protect, and no /proc/self/fd walk at start-up.
        // (An allocated empty array: Array.Empty over a tuple type would be JIT-compiled.)
        if (FdTable.Limit > 0) return new (int, ulong, ulong)[0];
        var candidates = new List<int>();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
                    if (int.TryParse(Path.GetFileName(entry), out int fd) && fd > 2) candidates.Add(fd);
                break;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // No /proc: nothing to protect. Or another thread closed the walk's own directory fd under it (EBADF,
                // reported as access denied), which happens where many translators share a process (the tests):
                // walk again from the start.
                candidates.Clear();
                if (attempt == 3) break;
            }
        }
        // Sorted by fd (unique) up front and kept in arrays: a List or Sort over the tuple type is not
        // precompiled, and this runs at every start-up.
        candidates.Sort();
        var found = new (int, ulong, ulong)[candidates.Count];
        int n = 0;
        // After the enumeration: its own directory fd is closed by now and fails here.
        foreach (int fd in candidates)
        {
            long fdFlags = Host(H.Fcntl, fd, FGetfd);
            if (fdFlags >= 0 && (fdFlags & FdCloexec) != 0 && HostFileIdentity(fd) is var (dev, ino)) found[n++] = (fd, dev, ino);
        }
        var fds = new (int, ulong, ulong)[n];
        for (int i = 0; i < n; i++) fds[i] = found[i];
        return fds;
    }

    private static (ulong Dev, ulong Ino)? HostFileIdentity(int fd)
    {
        ulong* st = stackalloc ulong[18]; // x86_64 struct stat: st_dev, st_ino first
        return Host(H.Fstat, fd, (long)st) < 0 ? null : (st[0], st[1]);
    }

    private bool IsRuntimeFd(int fd)
    {
        foreach (var (runtimeFd, dev, ino) in _runtimeFds)
            if (runtimeFd == fd) return HostFileIdentity(fd) == (dev, ino);
        return false;
    }

    private long SysClose(SyscallArgs a) =>
        a.A0 <= int.MaxValue && IsRuntimeFd((int)a.A0) ? -EBADF : Host(H.Close, (long)a.A0);

    private long SysCloseRange(SyscallArgs a)
    {
        const ulong CloseRangeCloexec = 4;
        ulong first = a.A0 & uint.MaxValue, last = a.A1 & uint.MaxValue, flags = a.A2;
        // Marking them close-on-exec changes nothing for the runtime's fds; closing skips them.
        if ((flags & CloseRangeCloexec) != 0 || first > last) return Host(H.CloseRange, (long)first, (long)last, (long)flags);
        ulong from = first;
        foreach (var (fd, _, _) in _runtimeFds)
        {
            if ((ulong)fd < from || !IsRuntimeFd(fd)) continue;
            if ((ulong)fd > last) break;
            if ((ulong)fd > from)
            {
                long r = Host(H.CloseRange, (long)from, fd - 1, (long)flags);
                if (r < 0) return r;
            }
            from = (ulong)fd + 1;
        }
        return from <= last ? Host(H.CloseRange, (long)from, (long)last, (long)flags) : 0;
    }

    /// <summary>
    /// A guest I/O buffer: the count is clamped to the reservation (the host kernel then stops at the first
    /// unmapped page, as Linux does).
    /// </summary>
    private long IoBuffer(ulong guest, ulong count, out long hostCount)
    {
        hostCount = (long)count;
        if (count == 0) return (long)Memory.HostPointer(guest);
        if (!Memory.InRange(guest, 1)) throw new GuestFaultException(guest);
        hostCount = (long)Math.Min(count, Memory.Size - guest);
        return (long)Memory.HostPointer(guest);
    }

    /// <summary>fd, buffer, count[, offset]: read, write, pread64, pwrite64, getdents64.</summary>
    private long BufferIo(int hostNumber, SyscallArgs a)
    {
        long buffer = IoBuffer(a.A1, a.A2, out long count);
        return Host(hostNumber, (long)a.A0, buffer, count, (long)a.A3);
    }

    /// <summary>Runs <paramref name="call"/> with the host copy of a guest path (NULL stays NULL).</summary>
    private long PathCall(ulong guestPath, bool resolve, Func<long, long> call)
    {
        if (guestPath == 0) return call(0);
        var path = ReadGuestPath(guestPath, resolve);
        if (path == null) return -ENAMETOOLONG;
        fixed (byte* p = path) return call((long)p);
    }

    private long TwoPathCall(ulong first, ulong second, Func<long, long, long> call)
    {
        var p1 = ReadGuestPath(first, false);
        var p2 = ReadGuestPath(second, false);
        if (p1 == null || p2 == null) return -ENAMETOOLONG;
        fixed (byte* a = p1)
        fixed (byte* b = p2)
            return call((long)a, (long)b);
    }

    private long VectorIo(int hostNumber, ulong fd, ulong guestIov, ulong count, ulong posLow, ulong posHigh)
    {
        const ulong IovMax = 1024;
        if (count > IovMax) return -EINVAL;
        if (count == 0) return Host(hostNumber, (long)fd, 0, 0, (long)posLow, (long)posHigh);
        byte* src = CheckedPointer(guestIov, count * 16, GuestProt.Read);
        var iov = new ulong[count * 2];
        for (ulong i = 0; i < count; i++)
        {
            ulong b = ((ulong*)src)[i * 2], len = ((ulong*)src)[i * 2 + 1];
            iov[i * 2] = (ulong)IoBuffer(b, len, out long hostLen);
            iov[i * 2 + 1] = (ulong)hostLen;
        }
        fixed (ulong* p = iov) return Host(hostNumber, (long)fd, (long)p, (long)count, (long)posLow, (long)posHigh);
    }

    private long SysOpenat(SyscallArgs a)
    {
        ulong dirfd = a.A0, flags = a.A2, mode = a.A3;
        var path = ReadGuestPath(a.A1, resolve: true);
        if (path == null) return -ENAMETOOLONG;
        int hostFlags = OpenFlags.GuestToHost((int)flags);
        if (path.Length > 1 && path[0] == '/')
        {
            long special = OpenProcFile(path, hostFlags);
            if (special != long.MinValue) return special;
        }
        fixed (byte* p = path) return Host(H.Openat, (long)dirfd, (long)p, hostFlags, (long)mode);
    }

    private long SysFstat(SyscallArgs a)
    {
        HostStat h;
        long r = Host(H.Fstat, (long)a.A0, (long)&h);
        if (r < 0) return r;
        WriteGuest(a.A1, StatConverter.ToGuest(h));
        return 0;
    }

    private long SysNewfstatat(SyscallArgs a)
    {
        ulong dirfd = a.A0, statbuf = a.A2, flags = a.A3;
        CheckedPointer(statbuf, (ulong)sizeof(GuestStat), GuestProt.Write);
        HostStat h;
        long hostStat = (long)&h;
        long r = PathCall(a.A1, true, p => Host(H.Newfstatat, (long)dirfd, p, hostStat, (long)flags));
        if (r < 0) return r;
        WriteGuest(statbuf, StatConverter.ToGuest(h));
        return 0;
    }

    private long SysStatx(SyscallArgs a)
    {
        ulong dirfd = a.A0, flags = a.A2, mask = a.A3, buf = a.A4;
        // struct statx has the same 256-byte layout on both architectures.
        long hostBuf = HostBuffer(buf, 256);
        return PathCall(a.A1, true, p => Host(H.Statx, (long)dirfd, p, (long)flags, (long)mask, hostBuf));
    }

    private long SysReadlinkat(SyscallArgs a)
    {
        ulong dirfd = a.A0, buf = a.A2, size = a.A3;
        if ((long)size <= 0) return -EINVAL;
        var raw = ReadGuestCString(a.A1);
        if (raw == null) return -ENAMETOOLONG;
        string path = System.Text.Encoding.UTF8.GetString(raw, 0, raw.Length - 1);
        if (PathResolver.IsSelfExe(path) && Paths.ExecutablePath.Length > 0)
        {
            var exe = System.Text.Encoding.UTF8.GetBytes(Paths.ExecutablePath);
            int n = (int)Math.Min((ulong)exe.Length, size);
            WriteGuestBytes(buf, exe.AsSpan(0, n));
            return n;
        }
        long hostBuf = IoBuffer(buf, size, out long hostSize);
        return PathCall(a.A1, true, p => Host(H.Readlinkat, (long)dirfd, p, hostBuf, hostSize));
    }

    private long SysUtimensat(SyscallArgs a)
    {
        ulong dirfd = a.A0, times = a.A2, flags = a.A3;
        long hostTimes = HostBufferOrNull(times, 32);
        return PathCall(a.A1, false, p => Host(H.Utimensat, (long)dirfd, p, hostTimes, (long)flags));
    }

    private long SysFcntl(SyscallArgs a)
    {
        const int FGetfl = 3, FSetfl = 4, FGetlk = 5, FSetlk = 6, FSetlkw = 7, FSetownEx = 15, FGetownEx = 16,
            FOfdGetlk = 36, FOfdSetlk = 37, FOfdSetlkw = 38;
        long fd = (long)a.A0;
        int cmd = (int)a.A1;
        switch (cmd)
        {
            case FGetfl:
                {
                    long r = Host(H.Fcntl, fd, cmd);
                    return r < 0 ? r : OpenFlags.HostToGuest((int)r);
                }
            case FSetfl:
                return Host(H.Fcntl, fd, cmd, OpenFlags.GuestToHost((int)a.A2));
            case FGetlk or FSetlk or FSetlkw or FOfdGetlk or FOfdSetlk or FOfdSetlkw:
                // struct flock is 32 bytes with the same layout on both.
                return Host(H.Fcntl, fd, cmd, HostBuffer(a.A2, 32));
            case FGetownEx or FSetownEx:
                return Host(H.Fcntl, fd, cmd, HostBuffer(a.A2, 8));
            case 0 or 1 or 2 or 8 or 9 or 10 or 11 or 1024 or 1025 or 1026 or 1030 or 1031 or 1032 or 1033 or 1034:
                // F_DUPFD, F_GETFD, F_SETFD, F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG, leases, notify,
                // F_DUPFD_CLOEXEC, pipe sizes, seals: integer arguments only.
                return Host(H.Fcntl, fd, cmd, (long)a.A2);
            default:
                return -EINVAL;
        }
    }

    private long SysIoctl(SyscallArgs a)
    {
        long fd = (long)a.A0;
        uint request = (uint)a.A1;
        ulong arg = a.A2;
        // Bytes the argument points to; termios (36 bytes) and winsize are laid out the same on both.
        long size = request switch
        {
            0x5401 or 0x5402 or 0x5403 or 0x5404 => 36, // TCGETS, TCSETS, TCSETSW, TCSETSF
            0x5413 or 0x5414 => 8, // TIOCGWINSZ, TIOCSWINSZ
            0x541B or 0x540F or 0x5410 or 0x5421 or 0x5452 or 0x5429 => 4, // FIONREAD, TIOCGPGRP, TIOCSPGRP, FIONBIO, FIOASYNC, TIOCGSID
            0x80045430 or 0x40045431 => 4, // TIOCGPTN, TIOCSPTLCK
            0x5409 or 0x540A or 0x540B or 0x540E or 0x5422 or 0x5450 or 0x5451 => 0, // TCSBRK, TCXONC, TCFLSH, TIOCSCTTY, TIOCNOTTY, FIONCLEX, FIOCLEX
            // Interface queries (if_nametoindex, if_indextoname): struct ifreq is 40 bytes on both.
            0x8910 or 0x8913 or 0x8915 or 0x8921 or 0x8927 or 0x8933 => 40, // SIOCGIFNAME, FLAGS, ADDR, MTU, HWADDR, INDEX
            _ => -1,
        };
        if (size < 0) return -ENOTTY;
        return Host(H.Ioctl, fd, request, size == 0 ? (long)arg : HostBuffer(arg, (ulong)size));
    }

    private long SysPselect6(SyscallArgs a)
    {
        ulong n = a.A0;
        ulong setBytes = (Math.Min(n, 1024) + 63) / 64 * 8;
        long inp = HostBufferOrNull(a.A1, setBytes), outp = HostBufferOrNull(a.A2, setBytes), exp = HostBufferOrNull(a.A3, setBytes);
        long tsp = HostBufferOrNull(a.A4, 16);
        if (a.A5 == 0) return Host(H.Pselect6, (long)n, inp, outp, exp, tsp, 0);
        // The sixth argument points to {const sigset_t *ss; size_t ss_len}: its inner pointer is a guest address too.
        ulong ss = ReadGuestUInt64(a.A5), ssLen = ReadGuestUInt64(a.A5 + 8);
        // The sigmask is the calling guest thread's (SignalSyscalls), not the host thread's.
        long early = SetTemporaryMaskFromGuest(ss, ssLen);
        return early != 0 ? early : Host(H.Pselect6, (long)n, inp, outp, exp, tsp, 0);
    }

    /// <summary>
    /// Files under /proc/self that must describe the guest, not the translator. Returns an open fd,
    /// -errno, or long.MinValue when the path is not one of them.
    /// </summary>
    private long OpenProcFile(byte[] path, int hostFlags)
    {
        string p = System.Text.Encoding.UTF8.GetString(path, 0, path.Length - 1);
        string? content = p switch
        {
            "/proc/self/maps" => FormatMaps(),
            // Not Environment.ProcessId: it keeps the parent's pid in a fork child.
            _ when p == $"/proc/{Host(H.Getpid)}/maps" => FormatMaps(),
            // The host's would describe an x86 CPU; the guest reads its features (HWCAPs) here.
            "/proc/cpuinfo" => Loader.HwCaps.CpuInfo(Loader.HwCaps.DefaultHwCap, Loader.HwCaps.DefaultHwCap2,
                Frontend.Translation.InstEmitSystem.MidrValue, Environment.ProcessorCount),
            _ => FormatProcTaskFile(p),
        };
        if (content == null) return long.MinValue;
        var name = NulTerminated("emu-proc");
        long fd;
        fixed (byte* n = name) fd = Host(H.MemfdCreate, (long)n, OpenFlags.Cloexec & hostFlags);
        if (fd < 0) return fd;
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        fixed (byte* b = bytes) Host(H.Write, fd, (long)b, bytes.Length);
        Host(H.Lseek, fd, 0, 0);
        return fd;
    }

    /// <summary>The guest's address space in /proc/self/maps format.</summary>
    public string FormatMaps()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var r in Memory.Regions)
        {
            char rd = (r.Prot & GuestProt.Read) != 0 ? 'r' : '-';
            char wr = (r.Prot & GuestProt.Write) != 0 ? 'w' : '-';
            char ex = (r.Prot & GuestProt.Exec) != 0 ? 'x' : '-';
            string line = $"{r.Start:x8}-{r.End:x8} {rd}{wr}{ex}p 00000000 00:00 0";
            sb.Append(line);
            if (r.Name.Length > 0) sb.Append(' ', Math.Max(1, 73 - line.Length)).Append(r.Name);
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
