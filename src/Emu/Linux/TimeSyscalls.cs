using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// Clocks, sleeps and timers: timespec, timeval, itimerval and tms have the same layout on both.
public sealed unsafe partial class GuestProcess
{
    private void RegisterTimeSyscalls()
    {
        Register(G.ClockGettime, "dp", (SyscallArgs a) => Host(H.ClockGettime, (long)a.A0, HostBuffer(a.A1, 16)));
        // Carried out by the host (as qemu does): EPERM without CAP_SYS_TIME.
        Register(G.ClockGetres, "dp", (SyscallArgs a) => Host(H.ClockGetres, (long)a.A0, HostBufferOrNull(a.A1, 16)));
        Register(G.Gettimeofday, "pp", (SyscallArgs a) => Host(H.Gettimeofday, HostBufferOrNull(a.A0, 16), HostBufferOrNull(a.A1, 8)));
        Register(G.Nanosleep, "pp", (SyscallArgs a) => Sleep(-1, 0, a.A0, a.A1));
        Register(G.ClockNanosleep, "dxpp", (SyscallArgs a) => Sleep((int)a.A0, (int)a.A1, a.A2, a.A3));
        Register(G.Times, "p", (SyscallArgs a) => Host(H.Times, HostBufferOrNull(a.A0, 32)));
        Register(G.Getitimer, "dp", (SyscallArgs a) => Host(H.Getitimer, (long)a.A0, HostBuffer(a.A1, 32)));
        Register(G.Setitimer, "dpp", (SyscallArgs a) => Host(H.Setitimer, (long)a.A0, HostBufferOrNull(a.A1, 32), HostBufferOrNull(a.A2, 32)));
    }

    /// <summary>
    /// nanosleep (clock &lt; 0) or clock_nanosleep. The translator's runtime uses signals of its own, so a
    /// host EINTR the guest did not cause just continues the sleep with the time that remains.
    /// </summary>
    private long Sleep(int clock, int flags, ulong request, ulong remain)
    {
        const int TimerAbstime = 1;
        long* req = stackalloc long[2];
        long* rem = stackalloc long[2];
        long* src = (long*)CheckedPointer(request, 16, Emu.Memory.GuestProt.Read);
        req[0] = src[0];
        req[1] = src[1];
        while (true)
        {
            long r = clock < 0
                ? Host(H.Nanosleep, (long)req, (long)rem)
                : Host(H.ClockNanosleep, clock, flags, (long)req, (long)rem);
            if (r != -EINTR) return r;
            if (HasDeliverableSignal())
            {
                if (remain != 0 && (flags & TimerAbstime) == 0)
                {
                    WriteGuest(remain, rem[0]);
                    WriteGuest(remain + 8, rem[1]);
                }
                return r;
            }
            if ((flags & TimerAbstime) == 0)
            {
                req[0] = rem[0];
                req[1] = rem[1];
            }
        }
    }
}
