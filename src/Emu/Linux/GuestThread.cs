using Emu.Cpu;
using Emu.Linux.Abi;

namespace Emu.Linux;

/// <summary>What a pending signal's siginfo says: si_code and the sender (or the fault address).</summary>
public readonly record struct PendingSignalInfo(int Code, int Pid, uint Uid, ulong Address);

/// <summary>
/// The signal state Linux keeps per thread: the blocked mask, the thread-directed pending set (tgkill,
/// synchronous faults, SIGPIPE) and the alternate stack. Dispositions and process-directed signals are
/// the process's (GuestProcess). Fields are changed under the process's signal lock.
/// </summary>
public sealed unsafe class GuestThread
{
    internal GuestThread(GuestProcess owner, int tid, ulong mask)
    {
        Owner = owner;
        Tid = tid;
        BlockedMask = mask;
    }

    public GuestProcess Owner { get; }
    /// <summary>Host thread id, which is also the guest's tid.</summary>
    public int Tid { get; internal set; }
    /// <summary>Blocked signals (bit n-1 = signal n).</summary>
    public ulong BlockedMask { get; internal set; }
    /// <summary>Thread-directed pending signals (bit n-1 = signal n).</summary>
    public ulong Pending { get; internal set; }
    internal readonly PendingSignalInfo[] PendingInfo = new PendingSignalInfo[SignalNumbers.Max + 1];
    internal GuestStackT AltStack = new() { Flags = GuestStackT.SsDisable };
    /// <summary>While rt_sigsuspend waits: the mask the handler's frame records and sigreturn restores.</summary>
    internal ulong? SuspendSavedMask;
    /// <summary>The thread's registers (null until it first enters the Linux layer).</summary>
    internal CpuContext* Context;
    /// <summary>Nonzero while the thread is inside a syscall (a wake-up may be needed to interrupt it).</summary>
    internal volatile int InSyscall;
}
