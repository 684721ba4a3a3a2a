using Emu.Linux.Abi;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

public sealed unsafe partial class GuestProcess
{
    private static ReadOnlySpan<int> RuntimeWatchedSignals => [SignalNumbers.SIGHUP, SignalNumbers.SIGINT, SignalNumbers.SIGQUIT,
        SignalNumbers.SIGTERM, SignalNumbers.SIGCONT, 20 /* SIGTSTP */, 21 /* SIGTTIN */, 22 /* SIGTTOU */, SignalNumbers.SIGWINCH];

    /// <summary>
    /// Blocks the runtime-watched signals in the forking thread, so one sent to the child right after fork
    /// waits for <see cref="ResetRuntimeSignalsInForkChild"/>. Returns the host mask to restore (both sides).
    /// </summary>
    private static ulong BlockRuntimeSignalsForFork()
    {
        const int SigBlock = 0;
        ulong set = 0, old = 0;
        foreach (int signo in RuntimeWatchedSignals) set |= 1UL << (signo - 1);
        Host(H.RtSigprocmask, SigBlock, (long)&set, (long)&old, 8);
        return old;
    }

    /// <summary>
    /// In a fork child: the runtime's handlers for SIGTERM, SIGINT and the other signals it watches only
    /// write to a pipe its signal thread reads, and that thread (and the pipe's reader) is the parent's, so a
    /// SIGTERM for the child ended the parent. Where the guest keeps the default action, the host default
    /// does what Linux would do for the guest (terminate, stop, continue, ignore SIGWINCH).
    /// </summary>
    private void ResetRuntimeSignalsInForkChild()
    {
        long* action = stackalloc long[4]; // x86_64 kernel sigaction: SIG_DFL, no flags, no restorer, empty mask
        foreach (int signo in RuntimeWatchedSignals)
        {
            if (_sigactions[signo].Handler != GuestSigaction.SigDefault || HostRoutingWanted(signo)) continue;
            action[0] = action[1] = action[2] = action[3] = 0;
            Host(H.RtSigaction, signo, (long)action, 0, 8);
        }
    }
}
