using Emu.Linux.Abi;
using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// Process syscalls beyond ProcessSyscalls.cs: credentials, scheduling, pidfds, signals with a siginfo,
// cross-process memory, NUMA policy, protection keys, personality. Host pids are guest pids.
public sealed unsafe partial class GuestProcess
{
    private const int PerLinux32 = 8, ENOSPC = 28;
    private uint _personality;

    private void RegisterProcessExtraSyscalls()
    {
        // Capabilities: the header (u32 version, int pid) and up to two 12-byte data records, the same on both.
        Register(G.Capget, "pp", (SyscallArgs a) => Host(H.Capget, HostBuffer(a.A0, 8), HostBufferOrNull(a.A1, 24)));
        Register(G.Capset, "pp", (SyscallArgs a) => Host(H.Capset, HostBuffer(a.A0, 8), HostBufferOrNull(a.A1, 24)));
        Register(G.Setfsuid, "d", (SyscallArgs a) => Host(H.Setfsuid, (long)a.A0));
        Register(G.Setfsgid, "d", (SyscallArgs a) => Host(H.Setfsgid, (long)a.A0));
        Register(G.Setgroups, "dp", (SyscallArgs a) => Host(H.Setgroups, (long)a.A0, HostBufferOrNull(a.A1, (ulong)Math.Max(0, (int)a.A0) * 4)));

        // Scheduling: struct sched_param (an int), struct sched_attr (its own size first), timespec.
        Register(G.SchedSetparam, "dp", (SyscallArgs a) => Host(H.SchedSetparam, (long)a.A0, HostBuffer(a.A1, 4)));
        Register(G.SchedSetscheduler, "ddp", (SyscallArgs a) => Host(H.SchedSetscheduler, (long)a.A0, (long)a.A1, HostBuffer(a.A2, 4)));
        Register(G.SchedRrGetInterval, "dp", (SyscallArgs a) => Host(H.SchedRrGetInterval, (long)a.A0, HostBuffer(a.A1, 16)));
        Register(G.SchedSetattr, "dpx", (SyscallArgs a) =>
            Host(H.SchedSetattr, (long)a.A0, HostBuffer(a.A1, Math.Max(48u, ReadGuestUInt32(a.A1))), (long)a.A2));
        Register(G.SchedGetattr, "dpux", (SyscallArgs a) => Host(H.SchedGetattr, (long)a.A0, HostBuffer(a.A1, (uint)a.A2), (long)a.A2, (long)a.A3));
        Register(G.IoprioSet, "ddd", (SyscallArgs a) => Host(H.IoprioSet, (long)a.A0, (long)a.A1, (long)a.A2));
        Register(G.IoprioGet, "dd", (SyscallArgs a) => Host(H.IoprioGet, (long)a.A0, (long)a.A1));

        // pidfds. Signals to this process go through the guest's signal state, like kill.
        Register(G.PidfdOpen, "dx", (SyscallArgs a) => Host(H.PidfdOpen, (long)a.A0, OpenFlags.GuestToHost((int)a.A1)));
        Register(G.PidfdGetfd, "ddx", (SyscallArgs a) => FdTable.AdoptNew(Host(H.PidfdGetfd, (long)a.A0, (long)a.A1, (long)a.A2)));
        Register(G.PidfdSendSignal, "ddpx", SysPidfdSendSignal);
        Register(G.ProcessMrelease, "dx", (SyscallArgs a) => Host(H.ProcessMrelease, (long)a.A0, (long)a.A1));
        Register(G.RtSigqueueinfo, "ddp", (SyscallArgs a) => QueueSignalInfo((int)a.A0, 0, (int)a.A1, a.A2));
        Register(G.RtTgsigqueueinfo, "dddp", (SyscallArgs a) => QueueSignalInfo((int)a.A0, (int)a.A1, (int)a.A2, a.A3));
        Register(G.Kcmp, "dddxx", (SyscallArgs a) => Host(H.Kcmp, (long)a.A0, (long)a.A1, (long)a.A2, (long)a.A3,
            a.A2 == 7 ? HostBuffer(a.A4, 12) : (long)a.A4)); // KCMP_EPOLL_TFD: idx2 points to a kcmp_epoll_slot
        Register(G.ProcessVmReadv, "dpupux", (SyscallArgs a) => ProcessVmIo(H.ProcessVmReadv, a));
        Register(G.ProcessVmWritev, "dpupux", (SyscallArgs a) => ProcessVmIo(H.ProcessVmWritev, a));
        // Linux answers EINTR when there is no restart block; ours re-run the interrupted call instead.
        Register(G.RestartSyscall, "", (SyscallArgs a) => -EINTR);

        // NUMA policy: nodemasks are bitmaps of unsigned longs; addresses are guest addresses.
        Register(G.GetMempolicy, "ppuxx", (SyscallArgs a) => Host(H.GetMempolicy, HostBufferOrNull(a.A0, 4),
            HostBufferOrNull(a.A1, NodemaskBytes(a.A2)), (long)a.A2, (a.A4 & 2) != 0 ? HostBuffer(a.A3, 1) : (long)a.A3, (long)a.A4));
        Register(G.SetMempolicy, "dpu", (SyscallArgs a) => Host(H.SetMempolicy, (long)a.A0, HostBufferOrNull(a.A1, NodemaskBytes(a.A2)), (long)a.A2));
        Register(G.Mbind, "pudpux", (SyscallArgs a) => Host(H.Mbind, HostBuffer(a.A0, a.A1), (long)a.A1, (long)a.A2,
            HostBufferOrNull(a.A3, NodemaskBytes(a.A4)), (long)a.A4, (long)a.A5));
        Register(G.MigratePages, "dupp", (SyscallArgs a) => Host(H.MigratePages, (long)a.A0, (long)a.A1,
            HostBufferOrNull(a.A2, NodemaskBytes(a.A1)), HostBufferOrNull(a.A3, NodemaskBytes(a.A1))));
        Register(G.MovePages, "dupppx", SysMovePages);
        Register(G.SetMempolicyHomeNode, "puux", (SyscallArgs a) => Host(H.SetMempolicyHomeNode, HostBuffer(a.A0, a.A1), (long)a.A1, (long)a.A2, (long)a.A3));

        // Protection keys: an arm64 kernel without POE has none to give (these are its answers).
        Register(G.PkeyAlloc, "xx", (SyscallArgs a) => a.A0 != 0 ? -EINVAL : -ENOSPC);
        Register(G.PkeyFree, "d", (SyscallArgs a) => -EINVAL);
        Register(G.PkeyMprotect, "pxxd", (SyscallArgs a) => (int)a.A3 == -1 ? SysMprotect(a.A0, a.A1, a.A2) : -EINVAL);

        Register(G.FutexWaitv, "puxpd", SysFutexWaitv);
        Register(G.Unshare, "x", (SyscallArgs a) => Host(H.Unshare, (long)a.A0));
        Register(G.Setns, "dx", (SyscallArgs a) => Host(H.Setns, (long)a.A0, (long)a.A1));
    }

    private static ulong NodemaskBytes(ulong maxNode) => Math.Min(maxNode, 1 << 20) / 64 * 8 + 8;

    private long SysPersonality(SyscallArgs a)
    {
        uint persona = (uint)a.A0;
        uint old = _personality;
        if (persona == 0xffffffff) return old;
        // No 32-bit EL0 here: arm64 refuses PER_LINUX32 then.
        if ((persona & 0xff) == PerLinux32) return -EINVAL;
        _personality = persona;
        return old;
    }

    /// <summary>The pid a pidfd refers to (from /proc/self/fdinfo), or -1.</summary>
    private static int PidfdTarget(int pidfd)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/self/fdinfo/{pidfd}"))
                if (line.StartsWith("Pid:", StringComparison.Ordinal) && int.TryParse(line.AsSpan(4).Trim(), out int pid)) return pid;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return -1;
    }

    private long SysPidfdSendSignal(SyscallArgs a)
    {
        int pidfd = (int)a.A0, signo = (int)a.A1;
        if (a.A3 != 0) return -EINVAL;
        int self = (int)Host(H.Getpid);
        if (pidfd < 0 || PidfdTarget(pidfd) != self)
            return Host(H.PidfdSendSignal, pidfd, signo, HostBufferOrNull(a.A2, 128), (long)a.A3);
        if (a.A2 != 0) return QueueSignalInfo(self, 0, signo, a.A2);
        if (signo < 0 || signo > SignalNumbers.Max) return -EINVAL;
        if (signo != 0) Generate(null, signo, new PendingSignalInfo(0 /* SI_USER */, self, (uint)Host(H.Getuid), 0));
        return 0;
    }

    /// <summary>
    /// rt_sigqueueinfo / rt_tgsigqueueinfo (tid 0: process-directed): siginfo's si_code, si_pid, si_uid and
    /// si_value (offsets 8, 16, 20, 24) reach this process's guest handler; other processes get the host call.
    /// </summary>
    private long QueueSignalInfo(int pid, int tid, int signo, ulong guestInfo)
    {
        byte* info = CheckedPointer(guestInfo, 128, GuestProt.Read);
        int self = (int)Host(H.Getpid);
        int code = *(int*)(info + 8);
        if (pid != self)
        {
            long hostInfo = (long)info;
            return tid == 0 ? Host(H.RtSigqueueinfo, pid, signo, hostInfo) : Host(H.RtTgsigqueueinfo, pid, tid, signo, hostInfo);
        }
        if (signo < 0 || signo > SignalNumbers.Max) return -EINVAL;
        // (The kernel lets a process forge any si_code to itself; to others the host kernel checks.)
        GuestThread? target = null;
        if (tid != 0 && (target = FindThread(tid)) == null) return -ESRCH;
        if (signo == 0) return 0;
        Generate(target, signo, new PendingSignalInfo(code, *(int*)(info + 16), *(uint*)(info + 20), *(ulong*)(info + 24)));
        return 0;
    }

    /// <summary>
    /// process_vm_readv/writev: both iovec arrays hold guest addresses. The remote ones are the target's:
    /// an emu process places its guest space wherever the host put its reservation (fork children share
    /// their parent's), so the target's is found in its maps; a process that is not one of ours is a host
    /// program, whose addresses are host addresses.
    /// </summary>
    private long ProcessVmIo(int hostNumber, SyscallArgs a)
    {
        const ulong IovMax = 1024;
        ulong localCount = a.A2, remoteCount = a.A4;
        if (localCount > IovMax || remoteCount > IovMax) return -EINVAL;
        var local = new ulong[Math.Max(1UL, localCount) * 2];
        var remote = new ulong[Math.Max(1UL, remoteCount) * 2];
        if (localCount != 0)
        {
            byte* src = CheckedPointer(a.A1, localCount * 16, GuestProt.Read);
            for (ulong i = 0; i < localCount; i++)
            {
                local[i * 2] = (ulong)IoBuffer(((ulong*)src)[i * 2], ((ulong*)src)[i * 2 + 1], out long len);
                local[i * 2 + 1] = (ulong)len;
            }
        }
        if (remoteCount != 0)
        {
            byte* src = CheckedPointer(a.A3, remoteCount * 16, GuestProt.Read);
            ulong? remoteBase = RemoteGuestBase((int)a.A0);
            for (ulong i = 0; i < remoteCount; i++)
            {
                ulong address = ((ulong*)src)[i * 2], len = ((ulong*)src)[i * 2 + 1];
                // Outside the target's guest space: an address the host kernel faults on (EFAULT), as Linux would.
                remote[i * 2] = remoteBase is not { } b ? address
                    : Memory.InRange(address, len) ? b + address : ulong.MaxValue - 4095;
                remote[i * 2 + 1] = len;
            }
        }
        fixed (ulong* l = local)
        fixed (ulong* r = remote)
            return Host(hostNumber, (long)a.A0, localCount == 0 ? 0 : (long)l, (long)localCount,
                remoteCount == 0 ? 0 : (long)r, (long)remoteCount, (long)a.A5);
    }

    private long SysMovePages(SyscallArgs a)
    {
        ulong count = a.A1;
        if (count > 1 << 20) return -E2BIG;
        // pages[] holds guest addresses (of this process or a fork child: the same translation).
        var pages = new ulong[Math.Max(1UL, count)];
        byte* src = count == 0 ? null : CheckedPointer(a.A2, count * 8, GuestProt.Read);
        for (ulong i = 0; i < count; i++)
        {
            ulong address = ((ulong*)src)[i];
            pages[i] = Memory.InRange(address, 1) ? (ulong)Memory.HostPointer(address) : ulong.MaxValue - 4095;
        }
        fixed (ulong* p = pages)
            return Host(H.MovePages, (long)a.A0, (long)count, (long)p, HostBufferOrNull(a.A3, count * 4), HostBufferOrNull(a.A4, count * 4), (long)a.A5);
    }

    private long SysFutexWaitv(SyscallArgs a)
    {
        const ulong WaitvMax = 128, WaiterSize = 24; // struct futex_waitv: u64 val, u64 uaddr, u32 flags, u32 reserved
        ulong count = a.A1;
        if (count == 0 || count > WaitvMax) return -EINVAL;
        byte* src = CheckedPointer(a.A0, count * WaiterSize, GuestProt.Read);
        byte* waiters = stackalloc byte[(int)(count * WaiterSize)];
        new ReadOnlySpan<byte>(src, (int)(count * WaiterSize)).CopyTo(new Span<byte>(waiters, (int)(count * WaiterSize)));
        for (ulong i = 0; i < count; i++)
        {
            ulong* uaddr = (ulong*)(waiters + i * WaiterSize + 8);
            *uaddr = (ulong)HostBuffer(*uaddr, 4);
        }
        return Host(H.FutexWaitv, (long)waiters, (long)count, (long)a.A2, HostBufferOrNull(a.A3, 16), (long)a.A4);
    }

    /// <summary>
    /// Host address of guest address 0 in process <paramref name="pid"/>: ours for ourselves, else the start
    /// of a reservation the size of ours in its maps; null if it has none (a host program). When its maps
    /// cannot be read, ours: the kernel then reports the same error for the access itself.
    /// </summary>
    private ulong? RemoteGuestBase(int pid)
    {
        ulong own = (ulong)Memory.Base;
        if (pid == (int)Host(H.Getpid)) return own;
        var ranges = new List<(ulong Start, ulong End)>();
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/maps"))
            {
                int dash = line.IndexOf('-'), space = line.IndexOf(' ');
                if (dash <= 0 || space <= dash) continue;
                ranges.Add((ulong.Parse(line.AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, null),
                    ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.HexNumber, null)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return own;
        }
        // The reservation is covered without a gap (guest mappings replace parts of it in place), and a
        // mapping starts at its first byte and one ends at its last. Ours first: fork relatives share it.
        // (With its guards: one reservation from guard to guard.)
        const ulong guard = GuestMemory.GuardSize;
        if (CoversReservation(ranges, own - guard, Memory.ReservedSize)) return own;
        foreach (var (start, _) in ranges)
            if (start != own - guard && CoversReservation(ranges, start, Memory.ReservedSize)) return start + guard;
        return null;
    }

    private static bool CoversReservation(List<(ulong Start, ulong End)> ranges, ulong start, ulong size)
    {
        int first = ranges.FindIndex(r => r.Start == start);
        if (first < 0) return false;
        ulong end = start;
        for (int i = first; i < ranges.Count && ranges[i].Start == end; i++)
        {
            end = ranges[i].End;
            if (end == start + size) return true;
            if (end > start + size) return false;
        }
        return false;
    }
}
