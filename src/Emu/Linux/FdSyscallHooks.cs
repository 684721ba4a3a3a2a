using Emu.Linux.Abi;
using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// Where guest syscalls meet FdTable: before a syscall, operations on fd numbers (close, dup2/dup3,
// close_range, RLIMIT_NOFILE) and a check that the fds a syscall names are the guest's; after it, new fds
// move to the lowest free guest number and /proc/self/fd listings lose the translator's entries.
public sealed unsafe partial class GuestProcess
{
    /// <summary>The result of a syscall FdTable carries out itself or refuses, or null to run its handler.</summary>
    private long? FdBefore(ulong number, SyscallArgs a)
    {
        if (FdTable.Limit == 0) return null;
        switch (number)
        {
            case G.Close:
                return FdTable.Close((long)a.A0);
            case G.Dup3:
                if ((a.A2 & ~(ulong)OpenFlags.Cloexec) != 0 || a.A0 == a.A1) return -EINVAL;
                return FdTable.Dup3((long)a.A0, (long)a.A1, OpenFlags.GuestToHost((int)a.A2));
            case G.CloseRange:
                return FdTable.CloseRange(a.A0, a.A1, a.A2);
            case G.Setrlimit when a.A0 == 7:
                return 0; // the guest's fd numbers are bounded by FdTable.Limit, whatever it asks
            case G.Prlimit64 when a.A1 == 7 && (a.A0 == 0 || (long)a.A0 == Host(H.Getpid)):
                {
                    long* limits = stackalloc long[2];
                    long r = Host(H.Prlimit64, 0, 7, 0, (long)limits);
                    if (r < 0) return r;
                    FdTable.ClampNofile(limits);
                    if (a.A3 != 0)
                    {
                        WriteGuest(a.A3, limits[0]);
                        WriteGuest(a.A3 + 8, limits[1]);
                    }
                    return 0;
                }
            case G.Pselect6 when SelectNamesOtherFd(a):
                // A closed guest number holds a placeholder, which the host's select would take as open.
                return -EBADF;
        }
        if (NamesFd(number, a, out long first, out long second)
            && ((first >= 0 && !FdTable.IsGuestFd(first)) || (second >= 0 && !FdTable.IsGuestFd(second))))
            return -EBADF;
        return null;
    }

    /// <summary>True if a pselect6 fd set holds a number that is not an open guest fd.</summary>
    private bool SelectNamesOtherFd(SyscallArgs a)
    {
        ulong words = (Math.Min(a.A0, 1024) + 63) / 64;
        foreach (ulong set in (ReadOnlySpan<ulong>)[a.A1, a.A2, a.A3])
        {
            if (set == 0) continue;
            for (ulong w = 0; w < words; w++)
            {
                ulong bits = ReadGuestUInt64(set + w * 8);
                if (w == words - 1 && a.A0 % 64 != 0 && a.A0 < 1024) bits &= (1UL << (int)(a.A0 % 64)) - 1;
                for (; bits != 0; bits &= bits - 1)
                    if (!FdTable.IsGuestFd((long)(w * 64) + System.Numerics.BitOperations.TrailingZeroCount(bits))) return true;
            }
        }
        return false;
    }

    /// <summary>The fds syscall <paramref name="number"/> names (-1: none; AT_FDCWD is negative too).</summary>
    private static bool NamesFd(ulong number, SyscallArgs a, out long first, out long second)
    {
        first = (int)a.A0;
        second = -1;
        switch (number)
        {
            case G.Read or G.Write or G.Pread64 or G.Pwrite64 or G.Readv or G.Writev or G.Preadv or G.Pwritev
                or G.Lseek or G.Fstat or G.Fcntl or G.Ioctl or G.Dup or G.Fchdir or G.Fchmod or G.Fchown
                or G.Ftruncate or G.Fallocate or G.Fadvise64 or G.Fsync or G.Fdatasync or G.Syncfs or G.Flock
                or G.Fstatfs or G.Getdents64 or G.EpollPwait or G.EpollPwait2 or G.Bind or G.Connect or G.Listen
                or G.Accept or G.Accept4 or G.Getsockname or G.Getpeername or G.Sendto or G.Recvfrom
                or G.Setsockopt or G.Getsockopt or G.Shutdown or G.Sendmsg or G.Recvmsg or G.TimerfdSettime
                or G.TimerfdGettime or G.InotifyAddWatch or G.InotifyRmWatch or G.Fsetxattr or G.Fgetxattr
                or G.Flistxattr or G.Fremovexattr or G.Readahead
                or G.Openat or G.Openat2 or G.Newfstatat or G.Statx or G.Readlinkat or G.Faccessat or G.Faccessat2
                or G.Unlinkat or G.Mkdirat or G.Mknodat or G.Fchmodat or G.Fchownat or G.Utimensat or G.Execveat
                or G.Vmsplice or G.SyncFileRange or G.Preadv2 or G.Pwritev2 or G.Sendmmsg or G.Recvmmsg or G.FanotifyMark
                or G.MqTimedsend or G.MqTimedreceive or G.MqNotify or G.MqGetsetattr or G.PidfdSendSignal or G.PidfdGetfd
                or G.ProcessMrelease or G.NameToHandleAt or G.OpenByHandleAt or G.Setns:
                return true;
            case G.Sendfile or G.Tee:
                second = (int)a.A1;
                return true;
            case G.EpollCtl or G.CopyFileRange or G.Splice or G.Linkat or G.Renameat or G.Renameat2:
                second = (int)a.A2;
                return true;
            case G.Symlinkat:
                first = (int)a.A1;
                return true;
            case G.Mmap when (a.A3 & 0x20 /* MAP_ANONYMOUS */) == 0:
                first = (int)a.A4;
                return true;
            case G.Signalfd4:
                return true; // -1 creates one
            default:
                first = -1;
                return false;
        }
    }

    /// <summary>After a successful syscall: new fds get guest numbers; fd directory listings are filtered.</summary>
    private long FdAfter(ulong number, SyscallArgs a, long result)
    {
        if (FdTable.Limit == 0 || result < 0) return result;
        switch (number)
        {
            case G.Openat or G.Openat2 or G.Dup or G.Socket or G.Accept or G.Accept4 or G.Eventfd2 or G.EpollCreate1
                or G.TimerfdCreate or G.InotifyInit1 or G.MemfdCreate or G.PidfdOpen or G.OpenByHandleAt:
                return FdTable.AdoptNew(result);
            case G.Fcntl when (int)a.A1 is 0 or 1030: // F_DUPFD, F_DUPFD_CLOEXEC: at or above the argument
                return FdTable.AdoptNew(result, (long)a.A2);
            case G.Pipe2:
                return AdoptPair(a.A0);
            case G.Socketpair:
                return AdoptPair(a.A3);
            case G.Recvmsg:
                AdoptReceivedFds(a.A1);
                return result;
            case G.Getdents64 when result > 0:
                return FdTable.FilterFdDirectory((long)a.A0, Memory.HostPointer(a.A1), result, (long)Math.Min(a.A2, int.MaxValue));
            case G.Getrlimit when a.A0 == 7:
                {
                    long* limits = (long*)CheckedPointer(a.A1, 16, GuestProt.Write);
                    FdTable.ClampNofile(limits);
                    return result;
                }
            default:
                return result;
        }
    }

    // SCM_RIGHTS: fds passed over a unix socket arrive at host numbers; they get guest numbers in place.
    private void AdoptReceivedFds(ulong guestMsg)
    {
        const int SolSocket = 1, ScmRights = 1, CmsgHeader = 16;
        byte* msg = CheckedPointer(guestMsg, 56, GuestProt.Read);
        ulong control = *(ulong*)(msg + 32), controlLen = *(ulong*)(msg + 40);
        if (control == 0 || controlLen < CmsgHeader) return;
        byte* c = CheckedPointer(control, controlLen, GuestProt.Read | GuestProt.Write);
        for (ulong pos = 0; pos + CmsgHeader <= controlLen;)
        {
            ulong len = *(ulong*)(c + pos);
            if (len < CmsgHeader || pos + len > controlLen) break;
            if (*(int*)(c + pos + 8) == SolSocket && *(int*)(c + pos + 12) == ScmRights)
            {
                int* fds = (int*)(c + pos + CmsgHeader);
                for (ulong i = 0; i < (len - CmsgHeader) / 4; i++)
                {
                    long adopted = FdTable.AdoptNew(fds[i]);
                    fds[i] = adopted >= 0 ? (int)adopted : -1;
                }
            }
            pos += (len + 7) & ~7UL;
        }
    }

    // pipe2 and socketpair wrote two host fds into the guest's int[2].
    private long AdoptPair(ulong guestArray)
    {
        int* fds = (int*)CheckedPointer(guestArray, 8, GuestProt.Write);
        long first = FdTable.AdoptNew(fds[0]);
        long second = FdTable.AdoptNew(fds[1]);
        if (first < 0 || second < 0)
        {
            if (first >= 0) FdTable.Close(first);
            if (second >= 0) FdTable.Close(second);
            return -EMFILE;
        }
        fds[0] = (int)first;
        fds[1] = (int)second;
        return 0;
    }
}
