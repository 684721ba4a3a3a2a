using Emu.Linux.Abi;
using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// File syscalls beyond the basics of FileSyscalls.cs: extended attributes, inotify/fanotify, pipes
// (splice, tee, vmsplice), timerfd, openat2, file handles, preadv2/pwritev2.
public sealed unsafe partial class GuestProcess
{
    private void RegisterFileExtraSyscalls()
    {
        // Extended attributes: (path or fd, name, value, size[, flags]); values are opaque bytes.
        Register(G.Setxattr, "ssppx", (SyscallArgs a) => XattrPathCall(a.A0, a.A1, p => n => Host(H.Setxattr, p, n, HostBufferOrNull(a.A2, a.A3), (long)a.A3, (long)a.A4)));
        Register(G.Lsetxattr, "ssppx", (SyscallArgs a) => XattrPathCall(a.A0, a.A1, p => n => Host(H.Lsetxattr, p, n, HostBufferOrNull(a.A2, a.A3), (long)a.A3, (long)a.A4)));
        Register(G.Fsetxattr, "dsppx", (SyscallArgs a) => PathCall(a.A1, false, n => Host(H.Fsetxattr, (long)a.A0, n, HostBufferOrNull(a.A2, a.A3), (long)a.A3, (long)a.A4)));
        Register(G.Getxattr, "sspu", (SyscallArgs a) => XattrPathCall(a.A0, a.A1, p => n => Host(H.Getxattr, p, n, HostBufferOrNull(a.A2, a.A3), (long)a.A3)));
        Register(G.Lgetxattr, "sspu", (SyscallArgs a) => XattrPathCall(a.A0, a.A1, p => n => Host(H.Lgetxattr, p, n, HostBufferOrNull(a.A2, a.A3), (long)a.A3)));
        Register(G.Fgetxattr, "dspu", (SyscallArgs a) => PathCall(a.A1, false, n => Host(H.Fgetxattr, (long)a.A0, n, HostBufferOrNull(a.A2, a.A3), (long)a.A3)));
        Register(G.Listxattr, "spu", (SyscallArgs a) => PathCall(a.A0, true, p => Host(H.Listxattr, p, HostBufferOrNull(a.A1, a.A2), (long)a.A2)));
        Register(G.Llistxattr, "spu", (SyscallArgs a) => PathCall(a.A0, true, p => Host(H.Llistxattr, p, HostBufferOrNull(a.A1, a.A2), (long)a.A2)));
        Register(G.Flistxattr, "dpu", (SyscallArgs a) => Host(H.Flistxattr, (long)a.A0, HostBufferOrNull(a.A1, a.A2), (long)a.A2));
        Register(G.Removexattr, "ss", (SyscallArgs a) => XattrPathCall(a.A0, a.A1, p => n => Host(H.Removexattr, p, n)));
        Register(G.Lremovexattr, "ss", (SyscallArgs a) => XattrPathCall(a.A0, a.A1, p => n => Host(H.Lremovexattr, p, n)));
        Register(G.Fremovexattr, "ds", (SyscallArgs a) => PathCall(a.A1, false, n => Host(H.Fremovexattr, (long)a.A0, n)));

        // inotify: IN_NONBLOCK and IN_CLOEXEC are the O_ flags; struct inotify_event is the same on both.
        Register(G.InotifyInit1, "x", (SyscallArgs a) => Host(H.InotifyInit1, OpenFlags.GuestToHost((int)a.A0)));
        Register(G.InotifyAddWatch, "dsx", (SyscallArgs a) => PathCall(a.A1, true, p => Host(H.InotifyAddWatch, (long)a.A0, p, (long)a.A2)));
        Register(G.InotifyRmWatch, "dd", (SyscallArgs a) => Host(H.InotifyRmWatch, (long)a.A0, (long)a.A1));
        Register(G.FanotifyInit, "xx", (SyscallArgs a) => FdTable.AdoptNew(Host(H.FanotifyInit, (long)a.A0, OpenFlags.GuestToHost((int)a.A1))));
        Register(G.FanotifyMark, "dxxds", (SyscallArgs a) => PathCall(a.A4, true, p => Host(H.FanotifyMark, (long)a.A0, (long)a.A1, (long)a.A2, (long)a.A3, p)));

        // Pipes: offsets are loff_t pointers; vmsplice's iovec holds guest addresses.
        Register(G.Splice, "dpdpux", (SyscallArgs a) => Host(H.Splice, (long)a.A0, HostBufferOrNull(a.A1, 8), (long)a.A2,
            HostBufferOrNull(a.A3, 8), (long)a.A4, (long)a.A5));
        Register(G.Tee, "ddux", (SyscallArgs a) => Host(H.Tee, (long)a.A0, (long)a.A1, (long)a.A2, (long)a.A3));
        Register(G.Vmsplice, "dpux", (SyscallArgs a) => VectorIo(H.Vmsplice, a.A0, a.A1, a.A2, a.A3, 0));
        Register(G.SyncFileRange, "dddx", (SyscallArgs a) => Host(H.SyncFileRange, (long)a.A0, (long)a.A1, (long)a.A2, (long)a.A3));
        Register(G.Readahead, "ddu", (SyscallArgs a) => Host(H.Readahead, (long)a.A0, (long)a.A1, (long)a.A2));
        // preadv2/pwritev2: (fd, iov, iovcnt, pos_l, pos_h, flags); RWF_* flags are the same on both.
        Register(G.Preadv2, "dpdddx", (SyscallArgs a) => VectorIo2(H.Preadv2, a));
        Register(G.Pwritev2, "dpdddx", (SyscallArgs a) => VectorIo2(H.Pwritev2, a));

        // timerfd: struct itimerspec (32 bytes) is the same; TFD_NONBLOCK/TFD_CLOEXEC are the O_ flags.
        Register(G.TimerfdCreate, "dx", (SyscallArgs a) => Host(H.TimerfdCreate, (long)a.A0, OpenFlags.GuestToHost((int)a.A1)));
        Register(G.TimerfdSettime, "dxpp", (SyscallArgs a) =>
            Host(H.TimerfdSettime, (long)a.A0, (long)a.A1, HostBuffer(a.A2, 32), HostBufferOrNull(a.A3, 32)));
        Register(G.TimerfdGettime, "dp", (SyscallArgs a) => Host(H.TimerfdGettime, (long)a.A0, HostBuffer(a.A1, 32)));

        Register(G.Openat2, "dspu", SysOpenat2);
        // struct file_handle: u32 handle_bytes, int handle_type, then the bytes; the same on both.
        Register(G.NameToHandleAt, "dsppx", (SyscallArgs a) => PathCall(a.A1, true, p =>
            Host(H.NameToHandleAt, (long)a.A0, p, HostBuffer(a.A2, 8 + (ulong)ReadGuestUInt32(a.A2)), HostBuffer(a.A3, 4), (long)a.A4)));
        Register(G.OpenByHandleAt, "dpf", (SyscallArgs a) =>
            Host(H.OpenByHandleAt, (long)a.A0, HostBuffer(a.A1, 8 + (ulong)ReadGuestUInt32(a.A1)), OpenFlags.GuestToHost((int)a.A2)));
        Register(G.Execveat, "dsppx", SysExecveat);
    }

    // An xattr call on a path (resolved like stat's) with an attribute name.
    private long XattrPathCall(ulong path, ulong name, Func<long, Func<long, long>> call) =>
        PathCall(path, true, p => PathCall(name, false, n => call(p)(n)));

    private long VectorIo2(int hostNumber, SyscallArgs a)
    {
        const ulong IovMax = 1024;
        ulong count = a.A2;
        if (count > IovMax) return -EINVAL;
        if (count == 0) return Host(hostNumber, (long)a.A0, 0, 0, (long)a.A3, (long)a.A4, (long)a.A5);
        byte* src = CheckedPointer(a.A1, count * 16, GuestProt.Read);
        var iov = new ulong[count * 2];
        for (ulong i = 0; i < count; i++)
        {
            iov[i * 2] = (ulong)IoBuffer(((ulong*)src)[i * 2], ((ulong*)src)[i * 2 + 1], out long hostLen);
            iov[i * 2 + 1] = (ulong)hostLen;
        }
        fixed (ulong* p = iov) return Host(hostNumber, (long)a.A0, (long)p, (long)count, (long)a.A3, (long)a.A4, (long)a.A5);
    }

    /// <summary>openat2(dirfd, path, struct open_how *how, size): how.flags holds O_ flags, which differ.</summary>
    private long SysOpenat2(SyscallArgs a)
    {
        const ulong OpenHowSize = 24; // u64 flags, u64 mode, u64 resolve
        ulong size = a.A3;
        if (size < OpenHowSize) return -EINVAL;
        if (size > GuestMemory.PageSize) return -E2BIG;
        byte* guestHow = CheckedPointer(a.A2, size, GuestProt.Read);
        // Fields a newer guest knows and the kernel does not must be zero (the kernel's rule, done here).
        for (ulong i = OpenHowSize; i < size; i++)
            if (guestHow[i] != 0) return -E2BIG;
        ulong flags = *(ulong*)guestHow;
        if ((flags >> 32) != 0) return -EINVAL;
        ulong* how = stackalloc ulong[3];
        how[0] = (ulong)(uint)OpenFlags.GuestToHost((int)flags);
        how[1] = *(ulong*)(guestHow + 8);
        how[2] = *(ulong*)(guestHow + 16);
        return PathCall(a.A1, true, p => Host(H.Openat2, (long)a.A0, p, (long)how, (long)OpenHowSize));
    }

    // The file an fd is open on, by name: the fd itself may be close-on-exec (fexecve's usual case), and the
    // new translator resolves the path after the exec. /proc/self/fd/N when the file has no name any more.
    private static string FdExecPath(int fd)
    {
        string link = $"/proc/self/fd/{fd}";
        string? target = FdPath(fd);
        return target != null && target.StartsWith('/') && !target.EndsWith(" (deleted)", StringComparison.Ordinal) ? target : link;
    }

    /// <summary>
    /// execveat(dirfd, path, argv, envp, flags): execve of the file the pair names, which for a relative path
    /// or AT_EMPTY_PATH (fexecve) is reached through /proc/self/fd.
    /// </summary>
    private long SysExecveat(SyscallArgs a)
    {
        const int AtFdCwd = -100, AtSymlinkNofollow = 0x100;
        int dirfd = (int)a.A0, flags = (int)a.A4;
        if ((flags & ~(AtEmptyPath | AtSymlinkNofollow)) != 0) return -EINVAL;
        var raw = ReadGuestCString(a.A1);
        if (raw == null) return -ENAMETOOLONG;
        string path = System.Text.Encoding.UTF8.GetString(raw, 0, raw.Length - 1);
        if (path.Length == 0)
        {
            if ((flags & AtEmptyPath) == 0) return -ENOENT;
            path = FdExecPath(dirfd);
        }
        else if (!path.StartsWith('/') && dirfd != AtFdCwd)
        {
            path = FdExecPath(dirfd) + "/" + path;
        }
        if ((flags & AtSymlinkNofollow) != 0)
        {
            var p = NulTerminated(path);
            byte* st = stackalloc byte[144];
            fixed (byte* b = p)
            {
                long r = Host(H.Newfstatat, AtFdCwd, (long)b, (long)st, AtSymlinkNofollow);
                if (r < 0) return r;
            }
            if ((*(uint*)(st + 24) & 0xf000) == 0xa000) return -ELOOP;
        }
        return Execve(path, a.A2, a.A3);
    }
}
