using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// POSIX timers (timer_create and friends). struct sigevent, itimerspec and timer ids are the same on both
// architectures, so the host kernel runs the timer; its signal comes back through the host handler of ours
// (HostSignals) and is queued for the guest as a process-directed signal.
public sealed unsafe partial class GuestProcess
{
    private const int SigevSignal = 0, SigevNone = 1, SigevThreadId = 4;

    private void RegisterSignalTimerSyscalls()
    {
        Register(G.TimerCreate, "dpp", SysTimerCreate);
        Register(G.TimerSettime, "dxpp", (SyscallArgs a) => Host(H.TimerSettime, (long)a.A0, (long)a.A1, HostBuffer(a.A2, 32), HostBufferOrNull(a.A3, 32)));
        Register(G.TimerGettime, "dp", (SyscallArgs a) => Host(H.TimerGettime, (long)a.A0, HostBuffer(a.A1, 32)));
        Register(G.TimerGetoverrun, "d", (SyscallArgs a) => Host(H.TimerGetoverrun, (long)a.A0));
        Register(G.TimerDelete, "d", (SyscallArgs a) => Host(H.TimerDelete, (long)a.A0));
    }

    private long SysTimerCreate(SyscallArgs a)
    {
        int clock = (int)a.A0;
        long timerId = HostBuffer(a.A2, 4);
        if (a.A1 == 0) return Host(H.TimerCreate, clock, 0, timerId); // SIGALRM to the process
        long sigevent = HostBuffer(a.A1, 64);
        int signo = *(int*)(sigevent + 8), notify = *(int*)(sigevent + 12);
        if (notify is not (SigevSignal or SigevNone or SigevThreadId)) return -EINVAL;
        if (notify != SigevNone)
        {
            if (signo < 1 || signo > SignalNumbers.Max) return -EINVAL;
            // The host must hand the timer's signal to us even if the guest only blocks it or waits for it.
            Signals.HostSignals.Route(signo);
        }
        return Host(H.TimerCreate, clock, sigevent, timerId);
    }
}
