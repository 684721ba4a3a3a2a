using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// Futexes: guest memory is host memory, so a guest futex word is a host futex word at Base + address.
public sealed unsafe partial class GuestProcess
{
    private void RegisterSyncSyscalls()
    {
        Register(G.Futex, "pxdppd", SysFutex);
        Register(G.SchedYield, "", (SyscallArgs a) => Host(H.SchedYield));
    }

    private long SysFutex(SyscallArgs a)
    {
        const int Wait = 0, Wake = 1, Requeue = 3, CmpRequeue = 4, WakeOp = 5, LockPi = 6, UnlockPi = 7, TrylockPi = 8,
            WaitBitset = 9, WakeBitset = 10, WaitRequeuePi = 11, CmpRequeuePi = 12, LockPi2 = 13;
        int op = (int)a.A1;
        int cmd = op & 0x7f; // Without FUTEX_PRIVATE_FLAG (128) and FUTEX_CLOCK_REALTIME (256).
        if ((a.A0 & 3) != 0) return -EINVAL;
        long uaddr = HostBuffer(a.A0, 4);
        switch (cmd)
        {
            case Wait or WaitBitset or LockPi or LockPi2:
                // Argument 4 is a timeout (struct timespec, the same layout on both).
                return Host(H.Futex, uaddr, op, (long)a.A2, HostBufferOrNull(a.A3, 16), 0, (long)a.A5);
            case WaitRequeuePi:
                return Host(H.Futex, uaddr, op, (long)a.A2, HostBufferOrNull(a.A3, 16), HostBuffer(a.A4, 4), (long)a.A5);
            case Requeue or CmpRequeue or WakeOp or CmpRequeuePi:
                // Argument 4 is a count (val2), argument 5 the second futex word.
                return Host(H.Futex, uaddr, op, (long)a.A2, (long)a.A3, HostBuffer(a.A4, 4), (long)a.A5);
            case Wake or WakeBitset or UnlockPi or TrylockPi:
                return Host(H.Futex, uaddr, op, (long)a.A2, (long)a.A3, 0, (long)a.A5);
            default:
                return -ENOSYS;
        }
    }
}
