using System.Globalization;
using Emu.Linux.Abi;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// What execve hands the next program of the guest's signal state. Linux keeps the blocked mask and the
// ignored signals across execve and resets handled ones to the default action. The host's dispositions
// are the runtime's (it ignores SIGPIPE, handles SIGINT...), so they are made the guest's for the execve.
public sealed unsafe partial class GuestProcess
{
    /// <summary>
    /// Carries the guest's ignored signals (hex mask, bit n-1 = signal n) to a new translator: the runtime
    /// of the new process ignores SIGPIPE before any code of ours runs, so the host state cannot tell.
    /// </summary>
    public const string IgnoredSignalsVariable = "EMU_SIG_IGNORED";

    /// <summary>Set to 1 by the native launcher when its caller left SIGPIPE ignored.</summary>
    public const string SigpipeIgnoredVariable = "EMU_SIGPIPE_IGNORED";

    // Synchronous faults: the runtime and HostFaultHandler need their handlers until the execve succeeds.
    private static bool KeepsHostHandler(int signo) => signo is 4 or 5 or 7 or 8 or 11 or 9 or 19;

    /// <summary>The signals the guest has set to SIG_IGN (bit n-1 = signal n).</summary>
    public ulong IgnoredSignals
    {
        get
        {
            ulong ignored = 0;
            for (int signo = 1; signo <= SignalNumbers.Max; signo++)
                if (_sigactions[signo].Handler == GuestSigaction.SigIgnore) ignored |= Bit(signo);
            return ignored;
        }
    }

    /// <summary>The signals the guest has a handler for (bit n-1 = signal n).</summary>
    public ulong CaughtSignals
    {
        get
        {
            ulong caught = 0;
            for (int signo = 1; signo <= SignalNumbers.Max; signo++)
                if (_sigactions[signo].Handler is not (GuestSigaction.SigIgnore or GuestSigaction.SigDefault)) caught |= Bit(signo);
            return caught;
        }
    }

    /// <summary>
    /// Sets each host disposition that survives execve to the guest's: SIG_IGN where the guest ignores the
    /// signal, SIG_DFL where the host ignores one the guest does not. Returns what to give back with
    /// <see cref="RestoreHostDispositions"/> if the execve fails.
    /// </summary>
    private SavedDispositions ExportDispositionsForExec()
    {
        // An array by signal number, not a Dictionary of a struct: this runs in fork children (see HostExecve).
        var saved = new SavedDispositions(new HostKernelSigaction[SignalNumbers.Max + 1]);
        ulong ignored = IgnoredSignals;
        for (int signo = 1; signo <= SignalNumbers.Max; signo++)
        {
            if (KeepsHostHandler(signo)) continue;
            HostKernelSigaction old;
            if (Host(H.RtSigaction, signo, 0, (long)&old, 8) != 0) continue;
            bool guestIgnores = (ignored & Bit(signo)) != 0, hostIgnores = old.Handler == GuestSigaction.SigIgnore;
            if (guestIgnores == hostIgnores) continue;
            var wanted = new HostKernelSigaction { Handler = guestIgnores ? GuestSigaction.SigIgnore : GuestSigaction.SigDefault };
            if (Host(H.RtSigaction, signo, (long)&wanted, 0, 8) == 0)
            {
                saved.Actions[signo] = old;
                saved.Changed |= Bit(signo);
            }
        }
        return saved;
    }

    private static void RestoreHostDispositions(SavedDispositions saved)
    {
        for (int signo = 1; signo <= SignalNumbers.Max; signo++)
        {
            if ((saved.Changed & Bit(signo)) == 0) continue;
            var a = saved.Actions[signo];
            Host(H.RtSigaction, signo, (long)&a, 0, 8);
        }
    }

    /// <summary>The host dispositions <see cref="ExportDispositionsForExec"/> changed (bit n-1 = signal n), and what they were.</summary>
    private sealed class SavedDispositions(HostKernelSigaction[] actions)
    {
        public readonly HostKernelSigaction[] Actions = actions;
        public ulong Changed;
    }

    /// <summary>The guest's ignored signals in the form a new translator reads (<see cref="IgnoredSignalsVariable"/>).</summary>
    private string IgnoredSignalsEnvironment() =>
        $"{IgnoredSignalsVariable}={IgnoredSignals.ToString("x", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The ignored signals a translator that exec'd this one passed on, or null when started otherwise.
    /// The variable is removed so the guest does not see it.
    /// </summary>
    private static ulong? TakeInheritedIgnoredSignals()
    {
        string? value = Environment.GetEnvironmentVariable(IgnoredSignalsVariable);
        if (value == null) return null;
        Environment.SetEnvironmentVariable(IgnoredSignalsVariable, null);
        return ulong.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong mask) ? mask : null;
    }

    /// <summary>x86_64 kernel struct sigaction (rt_sigaction): handler, flags, restorer, mask.</summary>
    private struct HostKernelSigaction
    {
        public ulong Handler, Flags, Restorer, Mask;
    }
}
