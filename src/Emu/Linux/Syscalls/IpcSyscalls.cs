using System.Collections.Concurrent;
using Emu.Linux.Abi;
using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// SysV IPC and POSIX message queues. The host kernel keeps the objects; only semid_ds differs in layout
// (Abi/SemidConverter.cs), and shmat maps the segment into the guest address space.
public sealed unsafe partial class GuestProcess
{
    private const int IpcRmid = 0, IpcSet = 1, IpcStat = 2, IpcInfo = 3;
    private const int ShmRdonly = 0x1000, ShmRnd = 0x2000, ShmRemap = 0x4000, ShmExec = 0x8000;
    private const ulong ShmLba = GuestMemory.PageSize; // arm64 SHMLBA (4 pages only for 32-bit compat tasks)

    /// <summary>Guest address of each attached segment and its page-rounded length (shmdt unmaps it).</summary>
    /// <summary>Made at the first shmat: its generic code over ulong is JIT-compiled, not precompiled.</summary>
    private ConcurrentDictionary<ulong, ulong>? _shmAttachments;

    private void RegisterIpcSyscalls()
    {
        Register(G.Semget, "xdx", (SyscallArgs a) => Host(H.Semget, (long)a.A0, (long)a.A1, (long)a.A2));
        Register(G.Semop, "dpu", (SyscallArgs a) => Host(H.Semop, (long)a.A0, HostBuffer(a.A1, a.A2 * 6), (long)a.A2));
        Register(G.Semtimedop, "dpup", (SyscallArgs a) =>
            Host(H.Semtimedop, (long)a.A0, HostBuffer(a.A1, a.A2 * 6), (long)a.A2, HostBufferOrNull(a.A3, 16)));
        Register(G.Semctl, "dddx", SysSemctl);
        Register(G.Shmget, "xux", (SyscallArgs a) => Host(H.Shmget, (long)a.A0, (long)a.A1, (long)a.A2));
        Register(G.Shmctl, "ddp", (SyscallArgs a) => Host(H.Shmctl, (long)a.A0, (long)a.A1, IpcControlBuffer((int)a.A1, a.A2)));
        Register(G.Shmat, "dpx", (SyscallArgs a) => { using (LockMappings()) return SysShmat(a); }, hexResult: true);
        Register(G.Shmdt, "p", (SyscallArgs a) => { using (LockMappings()) return SysShmdt(a); });
        Register(G.Msgget, "xx", (SyscallArgs a) => Host(H.Msgget, (long)a.A0, (long)a.A1));
        Register(G.Msgctl, "ddp", (SyscallArgs a) => Host(H.Msgctl, (long)a.A0, (long)a.A1, IpcControlBuffer((int)a.A1, a.A2)));
        // struct msgbuf: a long mtype, then the text.
        Register(G.Msgsnd, "dpux", (SyscallArgs a) => Host(H.Msgsnd, (long)a.A0, HostBuffer(a.A1, a.A2 + 8), (long)a.A2, (long)a.A3));
        Register(G.Msgrcv, "dpudx", (SyscallArgs a) =>
            Host(H.Msgrcv, (long)a.A0, HostBuffer(a.A1, a.A2 + 8), (long)a.A2, (long)a.A3, (long)a.A4));

        // struct mq_attr (64 bytes) and struct sigevent are laid out alike on both.
        Register(G.MqOpen, "sfop", (SyscallArgs a) => FdTable.AdoptNew(PathCall(a.A0, false, p =>
            Host(H.MqOpen, p, OpenFlags.GuestToHost((int)a.A1), (long)a.A2, HostBufferOrNull(a.A3, 64)))));
        Register(G.MqUnlink, "s", (SyscallArgs a) => PathCall(a.A0, false, p => Host(H.MqUnlink, p)));
        Register(G.MqTimedsend, "dpuup", (SyscallArgs a) =>
            Host(H.MqTimedsend, (long)a.A0, HostBuffer(a.A1, a.A2), (long)a.A2, (long)a.A3, HostBufferOrNull(a.A4, 16)));
        Register(G.MqTimedreceive, "dpupp", (SyscallArgs a) =>
            Host(H.MqTimedreceive, (long)a.A0, HostBuffer(a.A1, a.A2), (long)a.A2, HostBufferOrNull(a.A3, 4), HostBufferOrNull(a.A4, 16)));
        Register(G.MqNotify, "dp", SysMqNotify);
        Register(G.MqGetsetattr, "dpp", (SyscallArgs a) =>
            Host(H.MqGetsetattr, (long)a.A0, HostBufferOrNull(a.A1, 64), HostBufferOrNull(a.A2, 64)));
    }

    // shmctl and msgctl buffers (shmid_ds, msqid_ds, the *info structures) have one layout on both; the
    // largest is 120 bytes. Commands without a buffer ignore the argument.
    private long IpcControlBuffer(int cmd, ulong guest) => (cmd & 0xff) switch
    {
        IpcRmid or 11 or 12 => (long)guest, // IPC_RMID, SHM_LOCK, SHM_UNLOCK
        _ => HostBuffer(guest, 120),
    };

    private long SysSemctl(SyscallArgs a)
    {
        const int GetAll = 13, SetAll = 17, SemStat = 18, SemInfo = 19, SemStatAny = 20;
        long id = (long)a.A0, num = (long)a.A1, cmd = (long)a.A2;
        ulong arg = a.A3;
        switch ((int)cmd & 0xff)
        {
            case IpcStat or SemStat or SemStatAny:
                {
                    CheckedPointer(arg, (ulong)sizeof(GuestSemidDs), GuestProt.Write);
                    HostSemidDs h;
                    long r = Host(H.Semctl, id, num, cmd, (long)&h);
                    if (r >= 0) WriteGuest(arg, SemidConverter.ToGuest(h));
                    return r;
                }
            case IpcSet:
                {
                    var h = SemidConverter.ToHost(ReadGuest<GuestSemidDs>(arg));
                    return Host(H.Semctl, id, num, cmd, (long)&h);
                }
            case IpcInfo or SemInfo:
                return Host(H.Semctl, id, num, cmd, HostBuffer(arg, 40)); // struct seminfo
            case GetAll or SetAll:
                {
                    // An array of one unsigned short per semaphore: ask the kernel how many there are.
                    HostSemidDs h;
                    long r = Host(H.Semctl, id, 0, IpcStat, (long)&h);
                    if (r < 0) return r;
                    return Host(H.Semctl, id, num, cmd, HostBuffer(arg, h.Nsems * 2));
                }
            default:
                // GETVAL, SETVAL (the union holds the int itself), GETPID, GETNCNT, GETZCNT, IPC_RMID.
                return Host(H.Semctl, id, num, cmd, (long)arg);
        }
    }

    private long SysShmat(SyscallArgs a)
    {
        long id = (long)a.A0;
        ulong addr = a.A1;
        int flags = (int)a.A2;
        byte* ds = stackalloc byte[120]; // struct shmid64_ds: shm_perm.key at 0, shm_segsz at 48
        long r = Host(H.Shmctl, id, IpcStat, (long)ds);
        if (r < 0) return r;
        ulong length = GuestMemory.PageAlignUp(*(ulong*)(ds + 48));
        if (addr != 0)
        {
            if ((flags & ShmRnd) != 0) addr &= ~(ShmLba - 1);
            if ((addr & (GuestMemory.PageSize - 1)) != 0 || addr == 0) return -EINVAL;
            if (!Memory.InRange(addr, length)) return -EINVAL;
            if ((flags & ShmRemap) == 0 && !RangeFree(addr, length)) return -EINVAL;
        }
        else
        {
            addr = FindMmapSpace(length);
            if (addr == 0) return -ENOMEM;
        }
        var prot = GuestProt.Read | ((flags & ShmRdonly) == 0 ? GuestProt.Write : 0) | ((flags & ShmExec) != 0 ? GuestProt.Exec : 0);
        // The region record first (anonymous pages), then the segment replaces those pages in place.
        r = Memory.MapFixed(addr, length, prot, $"/SYSV{*(uint*)ds:x8}");
        if (r < 0) return r;
        long host = (long)Memory.HostPointer(addr);
        r = Host(H.Shmat, id, host, (flags & (ShmRdonly | ShmExec)) | ShmRemap);
        if (r < 0 || r != host)
        {
            Memory.Unmap(addr, length);
            return r < 0 ? r : -EINVAL;
        }
        if (_shmAttachments == null) Interlocked.CompareExchange(ref _shmAttachments, new ConcurrentDictionary<ulong, ulong>(), null);
        _shmAttachments[addr] = length;
        return (long)addr;
    }

    private long SysShmdt(SyscallArgs a)
    {
        if (_shmAttachments == null || !_shmAttachments.TryRemove(a.A0, out ulong length)) return -EINVAL;
        // Mapping the reservation back over the segment detaches it (the kernel drops shm_nattch on unmap).
        return Memory.Unmap(a.A0, length);
    }

    private long SysMqNotify(SyscallArgs a)
    {
        const int SigevThread = 2;
        if (a.A1 == 0) return Host(H.MqNotify, (long)a.A0, 0);
        // struct sigevent: sigev_value at 0, sigev_signo at 8, sigev_notify at 12 (64 bytes). With
        // SIGEV_THREAD the kernel reads a 32-byte cookie through sigev_value (glibc's netlink helper).
        byte* ev = stackalloc byte[64];
        new ReadOnlySpan<byte>(CheckedPointer(a.A1, 64, GuestProt.Read), 64).CopyTo(new Span<byte>(ev, 64));
        if (*(int*)(ev + 12) == SigevThread) *(long*)ev = HostBuffer(*(ulong*)ev, 32);
        return Host(H.MqNotify, (long)a.A0, (long)ev);
    }
}
