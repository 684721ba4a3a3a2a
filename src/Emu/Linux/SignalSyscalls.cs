using Emu.Linux.Abi;
using Emu.Linux.Signals;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// Signal state of the guest. The guest's handlers are guest code, so dispositions, the mask and the
// alternate stack are kept here, never installed in the host. A signal the guest raises for itself and
// catches is entered when the syscall returns (SignalDelivery.cs); one whose default action kills the
// process kills it for real, so the parent sees the right wait status. Signals from outside (other
// processes, the terminal) still reach the host's dispositions.
public sealed unsafe partial class GuestProcess
{
    private const int SigBlock = 0, SigUnblock = 1, SigSetMask = 2;
    private const ulong Unblockable = (1UL << (SignalNumbers.SIGKILL - 1)) | (1UL << (SignalNumbers.SIGSTOP - 1));

    private const int SiUser = 0, SiTkill = -6;

    private readonly GuestSigaction[] _sigactions = new GuestSigaction[SignalNumbers.Max + 1];
    private readonly int[] _pendingCodes = new int[SignalNumbers.Max + 1];
    private GuestStackT _altStack = new() { Flags = GuestStackT.SsDisable };

    /// <summary>The guest thread's blocked-signal mask (bit n-1 = signal n).</summary>
    public ulong SignalMask { get; private set; }
    /// <summary>Signals raised but not yet delivered (bit n-1 = signal n).</summary>
    public ulong PendingSignals { get; private set; }

    public GuestSigaction GetSigaction(int signo) => _sigactions[signo];

    private static ulong Bit(int signo) => 1UL << (signo - 1);

    private void RegisterSignalSyscalls()
    {
        Register(G.RtSigaction, "dppu", SysRtSigaction);
        Register(G.RtSigprocmask, "dppu", SysRtSigprocmask);
        Register(G.RtSigpending, "pu", (SyscallArgs a) =>
        {
            if (a.A1 != 8) return -EINVAL;
            WriteGuest(a.A0, PendingSignals & SignalMask);
            return 0;
        });
        Register(G.Sigaltstack, "pp", SysSigaltstack);
        Register(G.Kill, "dd", (SyscallArgs a) => SendSignal((int)a.A0 == Environment.ProcessId, (int)a.A1, SiUser,
            () => Host(H.Kill, (long)a.A0, (long)a.A1)));
        Register(G.Tgkill, "ddd", (SyscallArgs a) => SendSignal((int)a.A0 == Environment.ProcessId && IsOwnThread((int)a.A1), (int)a.A2, SiTkill,
            () => Host(H.Tgkill, (long)a.A0, (long)a.A1, (long)a.A2)));
        Register(G.Tkill, "dd", (SyscallArgs a) => SendSignal(IsOwnThread((int)a.A0), (int)a.A1, SiTkill,
            () => Host(H.Tkill, (long)a.A0, (long)a.A1)));
    }

    // The one guest thread runs on the calling host thread; the process id also names the main thread.
    private static bool IsOwnThread(int tid) => tid == (int)Host(H.Gettid) || tid == Environment.ProcessId;

    private long SysRtSigaction(SyscallArgs a)
    {
        int signo = (int)a.A0;
        ulong act = a.A1, oldact = a.A2;
        if (a.A3 != 8 || signo < 1 || signo > SignalNumbers.Max) return -EINVAL;
        GuestSigaction? newAction = act != 0 ? ReadGuest<GuestSigaction>(act) : null;
        if (newAction != null && (signo == SignalNumbers.SIGKILL || signo == SignalNumbers.SIGSTOP)) return -EINVAL;
        if (oldact != 0) WriteGuest(oldact, _sigactions[signo]);
        if (newAction is { } n)
        {
            _sigactions[signo] = n with { Mask = n.Mask & ~Unblockable };
            DeliverPendingSignals();
        }
        return 0;
    }

    private long SysRtSigprocmask(SyscallArgs a)
    {
        int how = (int)a.A0;
        ulong set = a.A1, oldset = a.A2;
        if (a.A3 != 8) return -EINVAL;
        ulong? newSet = set != 0 ? ReadGuest<ulong>(set) : null;
        ulong old = SignalMask;
        if (newSet is { } s)
        {
            if (how is not (SigBlock or SigUnblock or SigSetMask)) return -EINVAL;
            ulong mask = how == SigBlock ? old | s : how == SigUnblock ? old & ~s : s;
            SignalMask = mask & ~Unblockable;
        }
        if (oldset != 0) WriteGuest(oldset, old);
        DeliverPendingSignals();
        return 0;
    }

    private long SysSigaltstack(SyscallArgs a)
    {
        const int SsAutoDisarm = 1 << 31;
        ulong ss = a.A0, oss = a.A1;
        GuestStackT? requested = ss != 0 ? ReadGuest<GuestStackT>(ss) : null;
        if (oss != 0) WriteGuest(oss, _altStack);
        if (requested is { } r)
        {
            int mode = r.Flags & ~SsAutoDisarm;
            if (mode != 0 && mode != GuestStackT.SsDisable) return -EINVAL;
            if (mode == GuestStackT.SsDisable) _altStack = new GuestStackT { Flags = GuestStackT.SsDisable };
            else if (r.Size < GuestStackT.MinSize) return -ENOMEM;
            else _altStack = r;
        }
        return 0;
    }

    /// <summary>
    /// kill/tgkill/tkill. Aimed at another process: the host delivers it. Aimed at the guest itself:
    /// the guest's dispositions decide.
    /// </summary>
    private long SendSignal(bool toSelf, int signo, int siCode, Func<long> hostSend)
    {
        if (!toSelf || signo == 0) return hostSend();
        if (signo < 1 || signo > SignalNumbers.Max) return -EINVAL;
        RaiseSignal(signo, siCode);
        return 0;
    }

    /// <summary>
    /// Makes <paramref name="signo"/> pending for the guest (si_code <paramref name="siCode"/>: SI_USER for
    /// kill, SI_TKILL for tgkill) and delivers what can be delivered now.
    /// </summary>
    public void RaiseSignal(int signo, int siCode = SiUser)
    {
        PendingSignals |= Bit(signo);
        _pendingCodes[signo] = siCode;
        DeliverPendingSignals();
    }

    /// <summary>True if a pending signal is not blocked (a sleep interrupted by it must return EINTR).</summary>
    public bool HasDeliverableSignal() => (PendingSignals & ~SignalMask) != 0;

    private void DeliverPendingSignals()
    {
        ulong ready = PendingSignals & ~SignalMask;
        for (int signo = 1; ready != 0 && signo <= SignalNumbers.Max; signo++)
        {
            if ((ready & Bit(signo)) == 0) continue;
            ready &= ~Bit(signo);
            ulong handler = signo is SignalNumbers.SIGKILL or SignalNumbers.SIGSTOP ? GuestSigaction.SigDefault : _sigactions[signo].Handler;
            if (handler == GuestSigaction.SigIgnore || (handler == GuestSigaction.SigDefault && IgnoredByDefault(signo)))
            {
                PendingSignals &= ~Bit(signo);
            }
            else if (handler == GuestSigaction.SigDefault)
            {
                PendingSignals &= ~Bit(signo);
                DieBySignal(signo);
            }
            // A guest handler: entered when the current syscall returns.
        }
    }

    private static bool IgnoredByDefault(int signo) =>
        signo is SignalNumbers.SIGCHLD or SignalNumbers.SIGCONT or 23 /* SIGURG */ or SignalNumbers.SIGWINCH;

    /// <summary>
    /// The default action of <paramref name="signo"/> for this process. Stop signals stop the host process
    /// (and return when it continues); every other default action here ends it by that very signal.
    /// </summary>
    private static void DieBySignal(int signo)
    {
        if (signo is 19 or 20 or 21 or 22) // SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU
        {
            Host(H.Kill, Environment.ProcessId, signo);
            return;
        }
        FatalSignal.Die(signo);
    }
}
